import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseOfImagePackage } from '@levitate/tools';
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
