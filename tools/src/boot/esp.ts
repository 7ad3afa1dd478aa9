import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Runner } from '../core/run.ts';

/** A file to place on the EFI system partition. */
export interface EspFile {
  /** Path on the FAT filesystem, e.g. `/EFI/BOOT/BOOTX64.EFI`. */
  readonly path: string;
  /** Host file to copy; its copy on the ESP has the build epoch as mtime. */
  readonly source: string;
}

export interface EspOptions {
  readonly image: string;
  readonly label: string;
  /** FAT volume serial, 8 hex digits, derived from the build inputs. */
  readonly volumeId: string;
  readonly epoch: number;
  readonly files: readonly EspFile[];
}

const FAT_OVERHEAD_KIB = 1024;
const MIN_KIB = 8 * 1024;

/**
 * Makes a FAT image without mounting anything: `mkfs.fat --invariant` creates it, mtools
 * creates the folders and copies the files in with fixed times.
 */
export async function buildEsp(runner: Runner, options: EspOptions): Promise<void> {
  const bytes = await Promise.all(
    options.files.map(async (file) => (await stat(file.source)).size),
  );
  const dataKib = bytes.reduce((total, size) => total + Math.ceil(size / 4096) * 4, 0);
  const kib = Math.max(MIN_KIB, Math.ceil((dataKib * 1.05 + FAT_OVERHEAD_KIB) / 1024) * 1024);
  const env = { MTOOLS_SKIP_CHECK: '1', SOURCE_DATE_EPOCH: String(options.epoch) };
  await runner.run(
    [
      'mkfs.fat',
      '-C',
      '--invariant',
      '-i',
      options.volumeId,
      '-n',
      options.label,
      options.image,
      String(kib),
    ],
    { env },
  );
  for (const folder of foldersOf(options.files.map((file) => file.path))) {
    await runner.run(['mmd', '-i', options.image, `::${folder}`], { env });
  }
  // mcopy -m keeps each file's mtime: copies get the epoch, the sources are left alone.
  const staging = await mkdtemp(`${options.image}.files-`);
  try {
    for (const [index, file] of options.files.entries()) {
      const copy = join(staging, String(index));
      await copyFile(file.source, copy);
      await utimes(copy, options.epoch, options.epoch);
      await runner.run(['mcopy', '-i', options.image, '-m', copy, `::${file.path}`], { env });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await utimes(options.image, options.epoch, options.epoch);
}

/** Every folder the paths need, parents first, each once. */
function foldersOf(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    let folder = posix.dirname(path);
    const chain: string[] = [];
    while (folder !== '/' && folder !== '.') {
      chain.unshift(folder);
      folder = dirname(folder);
    }
    chain.forEach((entry) => folders.add(entry));
  }
  return [...folders];
}
