import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { FixtureNode } from './test-support.ts';
import {
  MKFS_TIME,
  addNodes,
  buildImage,
  fixtureNodes,
  makeTempDir,
  sha256,
} from './test-support.ts';
import type { FileContent, NodeMeta, SquashfsOptions, StoredFile } from './types.ts';
import { SquashfsWriter } from './writer.ts';

const temp = makeTempDir('stored');
afterAll(() => temp.cleanup());
const store = join(temp.dir, 'store');
mkdirSync(store);
const OPTIONS: SquashfsOptions = { compressor: { kind: 'zstd' }, mkfsTime: MKFS_TIME, workers: 2 };
const META: NodeMeta = { mode: 0o644, uid: 0, gid: 0, mtime: MKFS_TIME };

function digest(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Puts the bytes in the store folder under their digest and describes them as stored. */
function stored(data: Uint8Array, otherwise?: () => Promise<FileContent>): StoredFile {
  const sha256 = digest(data);
  const file = join(store, sha256);
  writeFileSync(file, data);
  return { kind: 'stored', file, size: data.length, sha256, ...(otherwise ? { otherwise } : {}) };
}

/** Writes the fixture tree, each file's content chosen by `contentOf`. */
async function imageWith(
  name: string,
  contentOf: (
    node: Extract<FixtureNode, { kind: 'file' }>,
    index: number,
  ) => FileContent | StoredFile,
  nodes: readonly FixtureNode[] = fixtureNodes(),
): Promise<string> {
  const image = join(temp.dir, `${name}.sqfs`);
  const writer = new SquashfsWriter(image, OPTIONS);
  const files = nodes.filter((node) => node.kind === 'file');
  const pending = files.map((node, index) =>
    writer.file(node.path, node.meta, contentOf(node, index)),
  );
  await Promise.all([
    ...pending,
    ...addNodes(
      writer,
      nodes.filter((node) => node.kind !== 'file'),
    ),
  ]);
  await writer.finish();
  return image;
}

/** Many small files, more than the writer hands to the addon in one call. */
function manyFiles(count: number): FixtureNode[] {
  return Array.from({ length: count }, (_, index) => ({
    kind: 'file' as const,
    path: `/many/${String(index).padStart(5, '0')}`,
    meta: META,
    data: new TextEncoder().encode(`file ${index}\n`.repeat(index % 7)),
    feed: 'whole' as const,
  }));
}

describe('stored files, read and checked by the addon', () => {
  it('give the same image as the same bytes handed over in memory', async () => {
    const reference = join(temp.dir, 'reference.sqfs');
    await buildImage(reference, OPTIONS);
    const allStored = await imageWith('all-stored', (node) => stored(node.data));
    const mixed = await imageWith('mixed', (node, index) =>
      index % 2 === 0 ? stored(node.data) : node.data,
    );
    expect(sha256(allStored)).toBe(sha256(reference));
    expect(sha256(mixed)).toBe(sha256(reference));
  });

  it('keep file order across batches of many files', async () => {
    const nodes = manyFiles(2500);
    const inMemory = await imageWith('many-memory', (node) => node.data, nodes);
    const fromStore = await imageWith('many-stored', (node) => stored(node.data), nodes);
    expect(sha256(fromStore)).toBe(sha256(inMemory));
  });

  it('fall back to `otherwise` for a file that no longer holds its content', async () => {
    const reference = join(temp.dir, 'reference-fallback.sqfs');
    await buildImage(reference, OPTIONS);
    const asked: string[] = [];
    const image = await imageWith('fallback', (node) => {
      const content = stored(node.data, () => {
        asked.push(node.path);
        return Promise.resolve(node.data);
      });
      if (node.path === '/usr/lib/blocks-and-tail' || node.path === '/usr/lib/random.bin') {
        const damaged = Uint8Array.from(node.data);
        damaged[100] = (damaged[100] ?? 0) ^ 0xff;
        writeFileSync(content.file, damaged);
      }
      if (node.path === '/etc/hostname') return { ...content, file: join(store, 'gone') };
      return content;
    });
    expect(sha256(image)).toBe(sha256(reference));
    expect(asked.sort()).toEqual([
      '/etc/hostname',
      '/usr/lib/blocks-and-tail',
      '/usr/lib/random.bin',
    ]);
  });

  it('fail naming the image path and the host file when there is no fallback', async () => {
    const writer = new SquashfsWriter(join(temp.dir, 'failing.sqfs'), OPTIONS);
    const good = writer.file('/a', META, stored(new TextEncoder().encode('a')));
    const wrong = stored(new TextEncoder().encode('b'));
    writeFileSync(wrong.file, 'c');
    const bad = writer.file('/b', META, wrong);
    await expect(bad).rejects.toThrow(/"\/b".*holds content with SHA-256/);
    await expect(good).rejects.toThrow(wrong.file);
    await expect(writer.finish()).rejects.toThrow(wrong.file);
  });

  it('refuse a malformed description at once, naming the path', () => {
    const writer = new SquashfsWriter(join(temp.dir, 'refused.sqfs'), OPTIONS);
    const good = stored(new TextEncoder().encode('x'));
    expect(() => writer.file('/relative', META, { ...good, file: 'store/x' })).toThrow(
      /"\/relative".*absolute path/,
    );
    expect(() => writer.file('/huge', META, { ...good, size: -1 })).toThrow(/"\/huge".*size/);
    expect(() => writer.file('/digest', META, { ...good, sha256: 'ABC' })).toThrow(
      /"\/digest".*sha256/,
    );
    void writer.abort();
  });
});
