import { ImageBuildError } from '../rootfs/index.ts';
import type { FileNode, ImageTree } from '../rootfs/index.ts';
import { defined } from '../core/errors.ts';

export interface ImageKernel {
  readonly version: string;
  readonly image: FileNode;
  readonly config: string | undefined;
}

/**
 * The kernel the image ships: its version is the one folder in /lib/modules, its image is
 * /lib/modules/<version>/vmlinuz (Fedora/Rocky) or the /boot/vmlinuz-* (Alpine, Debian).
 */
export async function findKernel(tree: ImageTree, kernelPackage: string): Promise<ImageKernel> {
  const paths = tree.paths();
  const versions = paths
    .filter(
      (path) => /^\/lib\/modules\/[^/]+$/.test(path) || /^\/usr\/lib\/modules\/[^/]+$/.test(path),
    )
    .map((path) => path.slice(path.lastIndexOf('/') + 1));
  const unique = [...new Set(versions)];
  if (unique.length !== 1) {
    throw new ImageBuildError(
      'kernel-not-found',
      unique.length === 0
        ? `the image has no kernel modules folder; the kernel package ${kernelPackage} should provide /lib/modules/<version>`
        : `the image has several kernels (${unique.join(', ')}); install exactly one`,
    );
  }
  const version = defined(unique[0], 'the kernel version');
  const candidates = [
    `/lib/modules/${version}/vmlinuz`,
    `/boot/vmlinuz-${version}`,
    ...paths.filter((path) => /^\/boot\/vmlinuz-[^/]+$/.test(path)),
  ];
  const image = candidates.map((path) => tree.fileAt(path)).find((found) => found !== undefined);
  if (!image) {
    throw new ImageBuildError(
      'kernel-not-found',
      `no kernel image for ${version} in /boot or /lib/modules/${version}`,
    );
  }
  const configPath = [
    `/lib/modules/${version}/config`,
    `/boot/config-${version}`,
    ...paths.filter((path) => path.startsWith('/boot/config-')),
  ].find((path) => tree.fileAt(path) !== undefined);
  const config =
    configPath === undefined
      ? undefined
      : new TextDecoder().decode(await tree.readFile(configPath));
  return { version, image: image.node, config };
}
