import type { RootEntryType, RootView } from '../initramfs/index.ts';
import type { ImageNode, ImageTree } from '../rootfs/index.ts';

const KIND_TO_TYPE: Readonly<Record<ImageNode['kind'], RootEntryType>> = {
  directory: 'directory',
  file: 'file',
  hardlink: 'file',
  symlink: 'symlink',
  char: 'char-device',
  block: 'block-device',
  fifo: 'fifo',
  socket: 'socket',
};

/** The image tree seen as a root filesystem, so the initramfs is built from the image itself. */
export function treeRootView(tree: ImageTree): RootView {
  return {
    readFile: (path) => tree.readFile(path),
    async readlink(path) {
      const found = tree.lookup(path, { follow: false });
      return found?.node.kind === 'symlink' ? found.node.target : undefined;
    },
    async stat(path) {
      const found = tree.lookup(path, { follow: false });
      if (!found) return undefined;
      const node = found.node.kind === 'hardlink' ? tree.get(found.node.target) : found.node;
      if (!node || node.kind === 'hardlink') return undefined;
      return { type: KIND_TO_TYPE[node.kind], mode: node.mode };
    },
    async list(dir) {
      const found = tree.lookup(dir, { follow: true });
      if (found?.node.kind !== 'directory') return [];
      const prefix = found.path === '/' ? '/' : `${found.path}/`;
      return tree
        .paths()
        .filter(
          (path) =>
            path.startsWith(prefix) &&
            path !== found.path &&
            !path.slice(prefix.length).includes('/'),
        )
        .map((path) => path.slice(prefix.length))
        .sort();
    },
  };
}
