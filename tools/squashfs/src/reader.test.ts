import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSquashfsLayout, readSquashfsTree } from './reader.ts';
import { BLOCK_SIZE, MKFS_TIME, buildImage, fixtureNodes, makeTempDir } from './test-support.ts';
import type { FixtureNode } from './test-support.ts';

let temp: { dir: string; cleanup: () => void };
beforeEach(() => {
  temp = makeTempDir('reader');
});
afterEach(() => temp.cleanup());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** What reading the image back must give for a node written with the writer. */
function expected(node: Exclude<FixtureNode, { kind: 'hardlink' }>) {
  const { mode, uid, gid, mtime, xattrs } = node.meta;
  const common = {
    path: node.path,
    mode: mode & 0o7777,
    uid,
    gid,
    mtime,
    xattrs: Object.fromEntries(
      Object.entries(xattrs ?? {}).map(([key, value]) => [key, hex(value)]),
    ),
  };
  switch (node.kind) {
    case 'dir':
      return { ...common, type: 'directory' };
    case 'file':
      return {
        ...common,
        type: 'file',
        size: node.data.length,
        sha256: createHash('sha256').update(node.data).digest('hex'),
      };
    case 'symlink':
      return { ...common, type: 'symlink', target: node.target };
    case 'char':
    case 'block':
      return { ...common, type: node.kind, major: node.major, minor: node.minor };
    default:
      return { ...common, type: node.kind };
  }
}

describe('readSquashfsTree', () => {
  it.each(['zstd', 'xz'] as const)(
    'gives back every entry the writer wrote, with content digests and xattrs (%s)',
    async (kind) => {
      const image = join(temp.dir, 'image.sqfs');
      const nodes = fixtureNodes();
      await buildImage(image, { compressor: { kind }, mkfsTime: MKFS_TIME, blockSize: BLOCK_SIZE });
      const entries = await readSquashfsTree(image);
      const written = new Set(nodes.map((node) => node.path));
      expect(entries.map((entry) => entry.path)).toEqual(
        [...entries.map((entry) => entry.path)].sort(),
      );
      expect(entries.filter((entry) => written.has(entry.path)).length).toBe(written.size);
      // The writer makes the parents a tree leaves out; nothing else may appear.
      const implicit = entries.filter((entry) => !written.has(entry.path));
      expect(implicit.every((entry) => entry.type === 'directory')).toBe(true);
      const byPath = new Map(entries.map((entry) => [entry.path, entry]));
      for (const node of nodes) {
        if (node.kind === 'hardlink') {
          const link = byPath.get(node.path);
          const target = byPath.get(node.existing);
          expect(link?.inode).toBe(target?.inode);
          expect(link?.sha256).toBe(target?.sha256);
          continue;
        }
        const { inode: _inode, ...entry } = byPath.get(node.path) ?? { inode: 0 };
        expect(entry, node.path).toEqual(expected(node));
      }
    },
  );

  it('refuses a file that is not an image, naming it', async () => {
    const bogus = join(temp.dir, 'bogus.img');
    writeFileSync(bogus, Buffer.alloc(4096, 1));
    await expect(readSquashfsTree(bogus)).rejects.toThrow(`${bogus}: not a squashfs image`);
    await expect(readSquashfsTree(join(temp.dir, 'absent.img'))).rejects.toThrow(
      /absent\.img: cannot open the image/,
    );
  });
});

describe('readSquashfsLayout', () => {
  it('says where each file sits without decompressing: blocks as stored, tails in fragments', async () => {
    const image = join(temp.dir, 'image.sqfs');
    const nodes = fixtureNodes();
    const summary = await buildImage(image, {
      compressor: { kind: 'zstd' },
      mkfsTime: MKFS_TIME,
      blockSize: BLOCK_SIZE,
    });
    const layout = await readSquashfsLayout(image);
    expect(layout.blockSize).toBe(BLOCK_SIZE);
    const files = nodes.filter((node) => node.kind === 'file');
    for (const node of files) {
      const file = layout.files.find((item) => item.path === node.path);
      const fullBlocks = Math.floor(node.data.length / BLOCK_SIZE);
      const tail = node.data.length - fullBlocks * BLOCK_SIZE;
      expect(file?.size, node.path).toBe(node.data.length);
      if (tail === 0) expect(file?.fragment, node.path).toBe(-1);
      else expect(file?.tail, node.path).toBe(tail);
    }
    const stored = layout.files.reduce((sum, file) => sum + file.storedBlocks, 0);
    const fragments = layout.fragments.reduce((sum, size) => sum + size, 0);
    // Data (blocks and fragments, shared ones once) is part of the image and not all of it.
    expect(fragments).toBeGreaterThan(0);
    expect(stored + fragments).toBeLessThan(summary.bytes);
    expect(layout.files.every((file) => file.fragment < layout.fragments.length)).toBe(true);
  });
});
