import { constants } from 'node:fs';
import { chmod, copyFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Runner } from '../core/run.ts';
import type { Reporter } from '../core/step.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { ArchiveKind, RecipeContext, RecipeSource } from './recipe-api.d.ts';
import { RecipeError } from './recipe-errors.ts';
import type { RecipeStep } from './recipe-errors.ts';
import type { Sandbox } from './sandbox.ts';
import { foldersInside, pathInside, regularFileInside } from './scratch-paths.ts';
import { fetchSource } from './sources.ts';

export type RecipePhase = Extract<RecipeStep, 'acquire' | 'build' | 'install'>;

export interface RecipeContextSettings {
  readonly name: string;
  readonly version: string;
  readonly buildDir: string;
  readonly out: string;
  readonly sourceDateEpoch: number;
  readonly fetcher: Fetcher;
  readonly runner: Runner;
  readonly sandbox: Sandbox;
  readonly reporter: Reporter;
  /** The step running now: downloads and the network belong to `acquire` alone. */
  readonly phase: () => RecipePhase;
}

/**
 * The commands that unpack each kind of archive into a folder, run in turn. busybox's tar (on
 * AcornOS) reads gzip and xz itself but not zstd, so zstd unpacks a `.tar.zst` to a plain tar
 * beside it first, which any tar then reads. busybox's unzip and Info-ZIP's take the same flags.
 */
export const EXTRACT_COMMANDS: Record<ArchiveKind, (archive: string, into: string) => string[][]> =
  {
    'tar.gz': (archive, into) => [['tar', '-xzf', archive, '-C', into, '--no-same-owner']],
    'tar.xz': (archive, into) => [['tar', '-xJf', archive, '-C', into, '--no-same-owner']],
    'tar.zst': (archive, into) => {
      const plain = `${archive}.unpacked.tar`;
      return [
        ['zstd', '-q', '-d', '-f', archive, '-o', plain],
        ['tar', '-xf', plain, '-C', into, '--no-same-owner'],
        ['rm', '-f', plain],
      ];
    },
    zip: (archive, into) => [['unzip', '-q', '-o', archive, '-d', into]],
  };

/** The helpers a recipe's functions are given, working in its build folder and `$OUT`. */
export function createRecipeContext(settings: RecipeContextSettings): RecipeContext {
  const { buildDir, out, runner, sandbox, name } = settings;
  const fail = (message: string) => new RecipeError(name, settings.phase(), message);
  let lastDownload: string | undefined;

  const run = (argv: readonly string[], cwd: string, env: Record<string, string> = {}) =>
    runner.run(sandbox.wrap(argv, { network: settings.phase() === 'acquire' }), {
      cwd,
      env: {
        OUT: out,
        HOME: buildDir,
        TMPDIR: buildDir,
        SOURCE_DATE_EPOCH: String(settings.sourceDateEpoch),
        ...env,
      },
    });

  async function install(from: string, to: string, mode: number): Promise<void> {
    const source = await regularFileInside(buildDir, from, sandbox.uid, fail);
    if (!to.startsWith('/') || to.split('/').includes('..') || to.endsWith('/')) {
      throw fail(`install target ${to} must be an absolute file path without ..`);
    }
    const target = join(await foldersInside(out, dirname(to), fail), basename(to));
    // Never through whatever the build left under that name.
    await rm(target, { force: true });
    await copyFile(source, target, constants.COPYFILE_EXCL);
    await chmod(target, mode);
  }

  return {
    name,
    version: settings.version,
    buildDir,
    out,
    sourceDateEpoch: settings.sourceDateEpoch,
    async download(source: RecipeSource) {
      if (settings.phase() !== 'acquire') {
        throw fail('download is only allowed in acquire');
      }
      lastDownload = await fetchSource(settings.fetcher, source, buildDir, sandbox, fail);
      return lastDownload;
    },
    async extract(kind, archive, into) {
      const commands = EXTRACT_COMMANDS[kind] as ((a: string, i: string) => string[][]) | undefined;
      if (commands === undefined) throw fail(`cannot extract ${String(kind)} archives`);
      const named = archive ?? lastDownload;
      if (named === undefined) throw fail('extract needs an archive: nothing was downloaded');
      const file = await regularFileInside(buildDir, named, sandbox.uid, fail);
      const folder = await pathInside(buildDir, into ?? '.', fail);
      // Made by the build user, who then extracts into it, and who cannot write elsewhere.
      await run(['mkdir', '-p', folder], buildDir);
      for (const argv of commands(file, folder)) await run(argv, buildDir);
    },
    async shell(command, options = {}) {
      const argv = typeof command === 'string' ? ['sh', '-c', command] : [...command];
      if (argv.length === 0) throw fail('shell needs a command');
      const cwd = await pathInside(buildDir, options.cwd ?? '.', fail);
      return (await run(argv, cwd, { ...options.env })).stdout;
    },
    installBin: (from, as) => install(from, `/usr/local/bin/${as ?? basename(from)}`, 0o755),
    installLib: (from, as) => install(from, `/usr/local/lib/${as ?? basename(from)}`, 0o755),
    installMan(from, section) {
      const page = basename(from);
      const chapter = section ?? Number(/\.(\d)[a-z]*(?:\.gz)?$/.exec(page)?.[1]);
      if (!Number.isInteger(chapter) || chapter < 1 || chapter > 9) {
        return Promise.reject(fail(`installMan ${from}: give the manual section`));
      }
      return install(from, `/usr/local/share/man/man${chapter}/${page}`, 0o644);
    },
    installFile: (from, to, mode = 0o644) => install(from, to, mode),
    log: (message) => settings.reporter.info(`${name}: ${message}`),
  };
}
