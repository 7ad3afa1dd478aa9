import { chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core/errors.ts';
import type { LoadedRecipe } from './load-recipe.ts';
import { createRecipeContext } from './recipe-context.ts';
import type { RecipePhase } from './recipe-context.ts';
import { RecipeError } from './recipe-errors.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { readStagedTree } from './staged-tree.ts';
import type { StagedTree } from './staged-tree.ts';

/**
 * Runs the recipe's acquire, build and install in a scratch folder of its own, the build user
 * owning its build folder and `$OUT`, and hands the staged tree to `use`; the scratch folder is
 * removed however it ends. Nothing outside the scratch folder is written.
 */
export async function buildRecipe<T>(
  settings: RecipeSettings,
  recipe: LoadedRecipe,
  use: (staged: StagedTree) => Promise<T>,
): Promise<T> {
  const { module, name } = recipe;
  await mkdir(settings.workDir, { recursive: true });
  const scratch = await mkdtemp(join(settings.workDir, `recipe-${name}-`));
  try {
    // The build user works inside; nobody else may look.
    await chown(scratch, settings.sandbox.uid, settings.sandbox.gid);
    const buildDir = join(scratch, 'build');
    const out = join(scratch, 'out');
    for (const dir of [buildDir, out]) {
      await mkdir(dir);
      await chown(dir, settings.sandbox.uid, settings.sandbox.gid);
    }
    let phase: RecipePhase = 'acquire';
    const ctx = createRecipeContext({
      name,
      version: module.pkg.version,
      buildDir,
      out,
      sourceDateEpoch:
        settings.sourceDateEpoch ?? Math.floor((await stat(recipe.file)).mtimeMs / 1000),
      fetcher: settings.fetcher,
      runner: settings.runner,
      sandbox: settings.sandbox,
      reporter: settings.reporter,
      phase: () => phase,
    });
    const steps: [RecipePhase, ((c: typeof ctx) => Promise<void>) | undefined][] = [
      ['acquire', module.acquire.bind(module)],
      ['build', module.build?.bind(module)],
      ['install', module.install.bind(module)],
    ];
    for (const [step, run] of steps) {
      if (run === undefined) continue;
      phase = step;
      await settings.reporter.step(`${name}: ${step}`, async () => {
        try {
          await run(ctx);
        } catch (error) {
          if (error instanceof RecipeError) throw error;
          throw new RecipeError(name, step, messageOf(error), { cause: error });
        }
      });
    }
    return await use(await readStagedTree(out));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
