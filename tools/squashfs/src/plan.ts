import type { CheckedMeta } from './meta.ts';
import type { EncodedPlan } from './native.ts';
import type { DirNode, TreeNode } from './tree.ts';

/** Basic libsquashfs inode types (SQFS_INODE_*). */
const INODE_TYPE = { dir: 1, file: 2, symlink: 3, block: 4, char: 5, fifo: 6, socket: 7 } as const;
const RECORD_STRIDE = 10;
const NO_XATTRS = 0xffffffff;

interface Entry {
  readonly name: Buffer;
  readonly node: TreeNode;
}

/** Children sorted by the bytes of their UTF-8 names, as squashfs directory tables require. */
function sortedEntries(dir: DirNode): Entry[] {
  return [...dir.children]
    .map(([name, node]) => ({ name: Buffer.from(name, 'utf8'), node }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
}

class BlobBuilder {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  add(bytes: Uint8Array): [offset: number, length: number] {
    const offset = this.#length;
    this.#parts.push(bytes);
    this.#length += bytes.byteLength;
    return [offset, bytes.byteLength];
  }

  build(): Buffer {
    return Buffer.concat(this.#parts, this.#length);
  }
}

/**
 * Orders inodes depth first, children before their directory and each directory's subtrees
 * before its other entries, so every inode is written before the listing that names it. The
 * inode number is the position in this order plus one; the root comes last.
 */
function orderInodes(root: DirNode): {
  order: TreeNode[];
  listings: Map<DirNode, Entry[]>;
  parents: Map<DirNode, DirNode>;
} {
  const order: TreeNode[] = [];
  const seen = new Set<TreeNode>();
  const listings = new Map<DirNode, Entry[]>();
  const parents = new Map<DirNode, DirNode>();

  const visit = (dir: DirNode): void => {
    const entries = sortedEntries(dir);
    listings.set(dir, entries);
    for (const { node } of entries) {
      if (node.kind === 'dir') {
        parents.set(node, dir);
        visit(node);
      }
    }
    for (const { node } of entries) {
      if (node.kind !== 'dir' && !seen.has(node)) {
        seen.add(node);
        order.push(node);
      }
    }
    order.push(dir);
  };
  visit(root);
  return { order, listings, parents };
}

/** Encodes the tree into the flat arrays native/plan.h describes. */
export function encodePlan(root: DirNode): EncodedPlan & { inodeCount: number } {
  const { order, listings, parents } = orderInodes(root);
  const inodeNumber = new Map<TreeNode, number>(order.map((node, index) => [node, index + 1]));
  const blob = new BlobBuilder();
  const records = new Uint32Array(order.length * RECORD_STRIDE);
  const entries: number[] = [];
  const xattrSets: number[] = [];
  const xattrPairs: number[] = [];

  const encodeXattrs = (meta: CheckedMeta): number => {
    if (meta.xattrs.length === 0) return NO_XATTRS;
    xattrSets.push(xattrPairs.length / 4, meta.xattrs.length);
    for (const [name, value] of meta.xattrs) {
      xattrPairs.push(...blob.add(Buffer.from(name, 'utf8')), ...blob.add(value));
    }
    return xattrSets.length / 2 - 1;
  };

  order.forEach((node, index) => {
    const { meta } = node;
    let nlink: number;
    let extra: [number, number, number] = [0, 0, 0];
    switch (node.kind) {
      case 'dir': {
        const listing = listings.get(node) ?? [];
        const first = entries.length / 3;
        for (const entry of listing) {
          entries.push((inodeNumber.get(entry.node) as number) - 1, ...blob.add(entry.name));
        }
        const parent = parents.get(node);
        const parentInode = parent === undefined ? order.length + 1 : inodeNumber.get(parent);
        nlink = 2 + listing.filter((entry) => entry.node.kind === 'dir').length;
        extra = [first, listing.length, parentInode as number];
        break;
      }
      case 'file':
        if (node.slot < 0) throw new Error('squashfs: internal error: file data was not written');
        nlink = node.links;
        extra = [node.slot, 0, 0];
        break;
      case 'symlink':
        nlink = node.links;
        extra = [...blob.add(Buffer.from(node.target, 'utf8')), 0];
        break;
      case 'char':
      case 'block':
        nlink = node.links;
        extra = [node.devno, 0, 0];
        break;
      default:
        nlink = node.links;
    }
    records.set(
      [
        INODE_TYPE[node.kind],
        meta.mode,
        meta.uid,
        meta.gid,
        meta.mtime,
        nlink,
        encodeXattrs(meta),
        ...extra,
      ],
      index * RECORD_STRIDE,
    );
  });

  return {
    records,
    entries: Uint32Array.from(entries),
    xattrSets: Uint32Array.from(xattrSets),
    xattrPairs: Uint32Array.from(xattrPairs),
    blob: blob.build(),
    inodeCount: order.length,
  };
}
