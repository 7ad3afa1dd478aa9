import { lstat, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseOfImagePackage } from '@levitate/tools';
import type { Runner } from '@levitate/tools';
import type { DebianArchive } from './debian-archives.ts';

export { DEBIAN_KERNEL_META } from '@levitate/tools';

/** The image package a `linux-image-amd64` depends on: `linux-image-<release>`. */
export function kernelImagePackage(meta: DebianArchive): string {
  const release = releaseOfImagePackage(meta.depends);
  if (release === undefined) {
    throw new Error(`${meta.package} ${meta.version} depends on no linux-image package`);
  }
  return `linux-image-${release}`;
}

/** The one `/lib/modules/<release>` folder name of an unpacked kernel image package. */
export async function kernelRelease(image: DebianArchive): Promise<string> {
  const releases = await readdir(join(image.tree, 'lib', 'modules'));
  const release = releases[0];
  if (release === undefined || releases.length !== 1) {
    throw new Error(
      `${image.debFile}: expected one /lib/modules/<release>, found ${releases.join(', ')}`,
    );
  }
  return release;
}

/** Links the module files `keep` accepts (paths relative to the release folder), recreating folders. */
async function linkSubset(
  from: string,
  to: string,
  relative: string,
  keep: (relativePath: string) => boolean,
): Promise<void> {
  for (const name of (await readdir(join(from, relative))).sort()) {
    const inside = relative === '' ? name : `${relative}/${name}`;
    const stat = await lstat(join(from, inside));
    if (stat.isDirectory()) {
      await mkdir(join(to, inside));
      await linkSubset(from, to, inside, keep);
    } else if (relative === '' || keep(inside)) {
      await symlink(join(from, inside), join(to, inside));
    }
  }
}

/**
 * Runs `depmod` over the image's modules in a staging root under `workDir` whose release folder
 * links to the unpacked tree (kmod 30 has no --outdir), and returns the files it wrote, by name.
 * With `keep`, only the module files it accepts (by path under the release folder) are indexed;
 * the top-level lists (`modules.order`, `modules.builtin`) are always read.
 */
export async function generateModuleIndexes(
  runner: Runner,
  tree: string,
  release: string,
  workDir: string,
  keep?: (relativePath: string) => boolean,
): Promise<[string, string][]> {
  const staging = join(workDir, 'depmod');
  const releaseDir = join(staging, 'lib', 'modules', release);
  const shippedDir = join(tree, 'lib', 'modules', release);
  await mkdir(releaseDir, { recursive: true });
  if (keep === undefined) {
    for (const name of await readdir(shippedDir)) {
      await symlink(join(shippedDir, name), join(releaseDir, name));
    }
  } else {
    await linkSubset(shippedDir, releaseDir, '', keep);
  }
  await runner.run(['depmod', '--basedir', staging, release], { timeoutMs: 300_000 });
  const written: [string, string][] = [];
  for (const name of (await readdir(releaseDir)).sort()) {
    if ((await lstat(join(releaseDir, name))).isFile()) {
      written.push([name, join(releaseDir, name)]);
    }
  }
  return written;
}
