import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Runner } from '@levitate/tools';

/** How a distribution compresses its kernel modules. */
export type ModuleCompression = 'xz' | 'gzip';

/** The suffix each compression adds to `.ko`. */
export const MODULE_SUFFIX: Readonly<Record<ModuleCompression, string>> = {
  xz: '.xz',
  gzip: '.gz',
};

/**
 * The compressor command lines, fixed so that the same input always gives the same bytes:
 * Rocky's `xz --check=crc32 --lzma2=dict=1MiB` (the kernel's own xz reader knows only CRC32),
 * one thread; Alpine's gzip, without a name or time stamp.
 */
const COMPRESSORS: Readonly<Record<ModuleCompression, readonly string[]>> = {
  xz: ['xz', '--quiet', '--threads=1', '--check=crc32', '--lzma2=dict=1MiB'],
  gzip: ['gzip', '--quiet', '--no-name', '-6'],
};

/** The lists depmod reads beside the modules; a kernel package ships them as they are. */
export const MODULE_LISTS = ['modules.order', 'modules.builtin', 'modules.builtin.modinfo'];

/** Files per compressor run: enough to amortise start-up, well inside the argument limit. */
const BATCH = 400;

/**
 * Copies the modules `keep` accepts (paths under the release folder) from an unpacked kernel
 * into `stage/lib/modules/<release>/` and compresses each in place as the distribution ships it
 * (`x.ko` → `x.ko.xz`), two compressor runs at a time. The lists depmod reads are copied as
 * they are. Returns the release folder of the stage.
 */
export async function stageCompressedModules(
  runner: Runner,
  options: {
    readonly tree: string;
    readonly release: string;
    readonly stage: string;
    readonly compression: ModuleCompression;
    readonly keep: (relativePath: string) => boolean;
  },
): Promise<string> {
  const shipped = join(options.tree, 'lib', 'modules', options.release);
  const staged = join(options.stage, 'lib', 'modules', options.release);
  const modules = (await listFiles(shipped)).filter(
    (path) => path.endsWith('.ko') && options.keep(path),
  );
  for (const path of modules) {
    await mkdir(dirname(join(staged, path)), { recursive: true });
    await copyFile(join(shipped, path), join(staged, path));
  }
  for (const name of MODULE_LISTS) {
    await copyFile(join(shipped, name), join(staged, name)).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    });
  }
  const batches: string[][] = [];
  for (let start = 0; start < modules.length; start += BATCH) {
    batches.push(modules.slice(start, start + BATCH).map((path) => join(staged, path)));
  }
  const compressor = COMPRESSORS[options.compression];
  const next = async (): Promise<void> => {
    const batch = batches.shift();
    if (batch === undefined) return;
    await runner.run([...compressor, ...batch], { timeoutMs: 600_000 });
    await next();
  };
  await Promise.all([next(), next()]);
  return staged;
}

/** Every file below `root`, as `/`-separated paths relative to it, sorted. */
async function listFiles(root: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(root, path)));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}
