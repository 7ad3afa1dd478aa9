import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { reporterFrom } from '../cli/output-settings.ts';
import { runCli, setCommandStatus } from '../cli/run-cli.ts';
import { createRunner } from '../core/run.ts';
import { createFetcher } from '../fetch/index.ts';
import {
  composeChange,
  infoCommand,
  installCommand,
  installWouldChange,
  listCommand,
  removeCommand,
  removeWouldChange,
  verifyCommand,
} from './recipe-commands.ts';
import type { ChangeTarget } from './recipe-commands.ts';
import { setUpRecipesForEditors } from './editor-setup.ts';
import { sharedFolder } from './shared-files.ts';
import { llmSettings } from './llm-config.ts';
import { draftRecipe } from './llm-draft.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { createSandbox } from './sandbox.ts';

interface GlobalFlags {
  root: string;
  recipes?: string;
  cache: string;
  work?: string;
  offline?: boolean;
  mutable?: boolean;
  debug?: boolean;
  logFormat: 'auto' | 'plain' | 'json';
}

function settingsFrom(flags: GlobalFlags): RecipeSettings {
  const root = resolve(flags.root);
  const reporter = reporterFrom({ debug: flags.debug === true, logFormat: flags.logFormat });
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  return {
    root,
    recipesDir: resolve(flags.recipes ?? join(root, 'etc', 'recipes')),
    workDir: resolve(flags.work ?? tmpdir()),
    ...(epoch === undefined || !/^\d+$/.test(epoch) ? {} : { sourceDateEpoch: Number(epoch) }),
    fetcher: createFetcher({
      cacheDir: resolve(flags.cache),
      offline: flags.offline === true,
      reporter,
    }),
    runner: createRunner({ debug: flags.debug === true }),
    sandbox: createSandbox(),
    reporter,
  };
}

export function createRecipeProgram(
  write: (text: string) => void = (text) => process.stdout.write(text),
): Command {
  const program = new Command('recipe')
    .description('Install, upgrade and remove software from recipes you write and keep.')
    .option('--root <dir>', 'the root to change', '/')
    .option('--recipes <dir>', 'the folder of recipes and their state (<root>/etc/recipes)')
    .option('--cache <dir>', 'where downloaded sources are kept', '/var/cache/recipe')
    .option('--work <dir>', 'where scratch folders are made (TMPDIR)')
    .option('--offline', 'use only cached and file:// sources')
    .option(
      '--mutable',
      'on an A/B install, change the running slot in place instead of the other one (unsafe: a reboot does not undo it)',
    )
    .option('--debug', 'print every command before it runs')
    .addOption(
      new Option('--log-format <format>', 'progress output')
        .choices(['auto', 'plain', 'json'])
        .default('auto'),
    )
    .exitOverride();
  const settings = () => settingsFrom(program.opts<GlobalFlags>());
  const target = (): ChangeTarget => ({
    rootGiven: program.getOptionValueSource('root') === 'cli',
    mutable: program.opts<GlobalFlags>().mutable === true,
  });
  const install = async (names: string[], mode: 'install' | 'upgrade') => {
    const current = settings();
    return composeChange(
      current,
      target(),
      () => installWouldChange(current, names, mode),
      (where) => installCommand(where, names, mode),
    );
  };

  program
    .command('install')
    .description('build recipes and install them (and what they depend on)')
    .argument('<name...>')
    .action(async (names: string[]) => write(await install(names, 'install')));
  program
    .command('upgrade')
    .description('rebuild installed recipes whose recipe file changed')
    .argument('<name...>')
    .action(async (names: string[]) => write(await install(names, 'upgrade')));
  program
    .command('remove')
    .description('remove what recipes installed')
    .argument('<name...>')
    .action(async (names: string[]) => {
      const current = settings();
      write(
        await composeChange(
          current,
          target(),
          () => removeWouldChange(current, names),
          (where) => removeCommand(where, names),
        ),
      );
    });
  program
    .command('list')
    .description('the recipes of the folder and what is installed')
    .action(async () => write(await listCommand(settings())));
  program
    .command('info')
    .description("a recipe's package, sources and installed files")
    .argument('<name>')
    .action(async (name: string) => write(await infoCommand(settings(), name)));
  program
    .command('verify')
    .description('check installed files against the digests recorded when they were installed')
    .argument('[name...]')
    .action(async (names: string[]) => {
      const { text, problems } = await verifyCommand(settings(), names);
      write(text);
      setCommandStatus(problems.length === 0 ? 0 : 1);
    });
  program
    .command('init')
    .description(
      'put the recipe API (recipe-api.d.ts) and a jsconfig.json beside the recipes, so editors check them',
    )
    .action(async () => {
      const { recipesDir } = settings();
      const { written, kept } = await setUpRecipesForEditors(recipesDir);
      const lines = [
        ...written.map((name) => `wrote ${join(recipesDir, name)}`),
        ...kept.map((name) => `kept ${join(recipesDir, name)} as it was`),
        `Start a recipe with // @ts-check and type it as the examples in ${join(sharedFolder(), 'examples')} do.`,
      ];
      write(`${lines.join('\n')}\n`);
    });
  program
    .command('llm')
    .description('draft a recipe with a local model server (never runs the draft)')
    .argument('<request...>', 'what to draft, e.g. "create a recipe for htop"')
    .option('--endpoint <url>', 'an OpenAI-compatible server (<recipes>/config.json llm.endpoint)')
    .option('--model <name>', 'the model to ask for (<recipes>/config.json llm.model)')
    .action(async (words: string[], flags: { endpoint?: string; model?: string }) => {
      const current = settings();
      const server = await llmSettings(current.recipesDir, flags);
      const draft = await draftRecipe({
        prompt: words.join(' '),
        ...server,
        recipesDir: current.recipesDir,
        runner: current.runner,
      });
      write(
        `Drafted ${draft.file} (marked as a draft: nothing runs it until you delete its // @recipe-draft line).\n` +
          `Review and run: recipe install ${draft.name}\n`,
      );
    });
  return program;
}

/** The `recipe` command: runs it with `argv` as `process.argv` and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  return runCli(createRecipeProgram(), argv);
}
