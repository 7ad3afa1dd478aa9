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

/**
 * The image tree seen as a root filesystem, so the initramfs is built from the image itself.
 * The tree must not change while the view is in use: folder listings are indexed once.
 */
export function treeRootView(tree: ImageTree): RootView {
  let index: Map<string, string[]> | undefined;
  const children = (): Map<string, string[]> => {
    if (index) return index;
    index = new Map();
    for (const path of tree.paths()) {
      if (path === '/') continue;
      const slash = path.lastIndexOf('/');
      const parent = slash === 0 ? '/' : path.slice(0, slash);
      const names = index.get(parent) ?? [];
      names.push(path.slice(slash + 1));
      index.set(parent, names);
    }
    return index;
  };
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
      return [...(children().get(found.path) ?? [])].sort();
    },
  };
}
