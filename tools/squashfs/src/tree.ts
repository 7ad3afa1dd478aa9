import type { CheckedMeta } from './meta.ts';
import { quote, splitImagePath } from './paths.ts';

export interface DirNode {
  readonly kind: 'dir';
  meta: CheckedMeta;
  /** False while the directory only exists because something below it was added. */
  explicit: boolean;
  readonly children: Map<string, TreeNode>;
}

interface LeafBase {
  readonly meta: CheckedMeta;
  /** Number of directory entries naming this inode (hard links). */
  links: number;
}

export interface FileNode extends LeafBase {
  readonly kind: 'file';
  /** Data slot in the native image, -1 until the content has been written. */
  slot: number;
}

export interface SymlinkNode extends LeafBase {
  readonly kind: 'symlink';
  readonly target: string;
}

export interface DeviceNode extends LeafBase {
  readonly kind: 'char' | 'block';
  readonly devno: number;
}

export interface IpcNode extends LeafBase {
  readonly kind: 'fifo' | 'socket';
}

export type LeafNode = FileNode | SymlinkNode | DeviceNode | IpcNode;
export type TreeNode = DirNode | LeafNode;

const KIND_NAMES: Record<TreeNode['kind'], string> = {
  dir: 'a directory',
  file: 'a regular file',
  symlink: 'a symlink',
  char: 'a character device',
  block: 'a block device',
  fifo: 'a fifo',
  socket: 'a socket',
};

function joinPath(names: readonly string[]): string {
  return `/${names.join('/')}`;
}

/** The in-memory directory tree: metadata only, one object per inode. */
export class Tree {
  readonly root: DirNode;
  readonly #implicitMeta: CheckedMeta;

  constructor(implicitMeta: CheckedMeta) {
    this.#implicitMeta = implicitMeta;
    this.root = { kind: 'dir', meta: implicitMeta, explicit: false, children: new Map() };
  }

  addDirectory(path: string, meta: CheckedMeta): void {
    const names = splitImagePath(path);
    const name = names.at(-1);
    if (name === undefined) {
      this.#claim(this.root, path, meta);
      return;
    }
    const parent = this.#parentFor(path, names);
    const existing = parent.children.get(name);
    if (existing === undefined) {
      parent.children.set(name, { kind: 'dir', meta, explicit: true, children: new Map() });
    } else if (existing.kind === 'dir') {
      this.#claim(existing, path, meta);
    } else {
      throw this.#exists(path, existing);
    }
  }

  addLeaf(path: string, node: LeafNode): void {
    const names = splitImagePath(path);
    const name = names.at(-1);
    if (name === undefined) throw new Error('squashfs: "/" is always the root directory');
    const parent = this.#parentFor(path, names);
    const existing = parent.children.get(name);
    if (existing !== undefined) throw this.#exists(path, existing);
    parent.children.set(name, node);
  }

  /** Adds `path` as another name for the inode at `existingPath` (not a directory). */
  addHardlink(path: string, existingPath: string): void {
    const target = this.lookup(existingPath);
    if (target === undefined) {
      throw new Error(
        `squashfs: cannot link ${quote(path)} to ${quote(existingPath)}: no such path`,
      );
    }
    if (target.kind === 'dir') {
      throw new Error(
        `squashfs: cannot link ${quote(path)} to ${quote(existingPath)}: it is a directory`,
      );
    }
    this.addLeaf(path, target);
    target.links += 1;
  }

  lookup(path: string): TreeNode | undefined {
    let node: TreeNode = this.root;
    for (const name of splitImagePath(path)) {
      if (node.kind !== 'dir') return undefined;
      const child = node.children.get(name);
      if (child === undefined) return undefined;
      node = child;
    }
    return node;
  }

  #claim(dir: DirNode, path: string, meta: CheckedMeta): void {
    if (dir.explicit) throw this.#exists(path, dir);
    dir.meta = meta;
    dir.explicit = true;
  }

  #exists(path: string, node: TreeNode): Error {
    return new Error(`squashfs: ${quote(path)} already exists (as ${KIND_NAMES[node.kind]})`);
  }

  /** Walks to the parent of `names`, creating missing directories with the implicit metadata. */
  #parentFor(path: string, names: readonly string[]): DirNode {
    let dir = this.root;
    for (let depth = 0; depth < names.length - 1; depth += 1) {
      const name = names[depth] as string;
      let child = dir.children.get(name);
      if (child === undefined) {
        child = { kind: 'dir', meta: this.#implicitMeta, explicit: false, children: new Map() };
        dir.children.set(name, child);
      } else if (child.kind !== 'dir') {
        throw new Error(
          `squashfs: cannot add ${quote(path)}: ${quote(joinPath(names.slice(0, depth + 1)))} is ${KIND_NAMES[child.kind]}, not a directory`,
        );
      }
      dir = child;
    }
    return dir;
  }
}
