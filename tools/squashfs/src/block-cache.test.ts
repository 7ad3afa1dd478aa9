import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { FixtureNode } from './test-support.ts';
import {
  MKFS_TIME,
  buildImage,
  fixtureNodes,
  makeTempDir,
  pseudoRandomBytes,
  run,
  sha256,
} from './test-support.ts';
import type { SquashfsCompressor } from './types.ts';

const temp = makeTempDir('block-cache');
afterAll(() => temp.cleanup());

let serial = 0;

/** Writes the tree with `cache` (or none) and returns the image's digest and the cache stats. */
async function build(
  compressor: SquashfsCompressor,
  cache: string | undefined,
  nodes: readonly FixtureNode[] = fixtureNodes(),
  workers = 2,
) {
  serial += 1;
  const image = join(temp.dir, `image-${serial}.sqfs`);
  const summary = await buildImage(
    image,
    {
      compressor,
      mkfsTime: MKFS_TIME,
      workers,
      ...(cache === undefined ? {} : { blockCache: cache }),
    },
    nodes,
  );
  return { image, digest: sha256(image), stats: summary.blockCache };
}

/** A cache folder that does not exist yet, nor its parent: the writer makes them. */
function freshCache(name: string): string {
  return join(temp.dir, name, 'stages', 'blocks');
}

/** The cache's entry files (not its temporary files), as paths. */
function entries(cache: string): string[] {
  return readdirSync(cache).flatMap((fanOut) =>
    readdirSync(join(cache, fanOut))
      .filter((name) => !name.startsWith('.'))
      .map((name) => join(cache, fanOut, name)),
  );
}

/** The fixture with one file's content replaced, in place so the file order stays the same. */
function withDoc(text: string): FixtureNode[] {
  return fixtureNodes().map((node) =>
    node.kind === 'file' && node.path === '/usr/share/doc/a.txt'
      ? { ...node, data: new TextEncoder().encode(text) }
      : node,
  );
}

describe.each<[string, SquashfsCompressor]>([
  ['zstd', { kind: 'zstd', level: 3 }],
  ['xz with BCJ', { kind: 'xz', level: 1, bcj: 'x86' }],
])('block cache, %s', (name, compressor) => {
  it('gives the bytes of an image written without it, cold and warm, and the warm run only hits', async () => {
    const cache = freshCache(`${name}-same`);
    const plain = await build(compressor, undefined);
    const cold = await build(compressor, cache, undefined, 1);
    const warm = await build(compressor, cache, undefined, 4);

    expect(plain.stats).toBeUndefined();
    expect(cold.digest).toBe(plain.digest);
    expect(warm.digest).toBe(plain.digest);
    expect(cold.stats).toMatchObject({ hits: 0, rejected: 0, storeFailures: 0, reusedBytes: 0 });
    expect(cold.stats?.misses).toBeGreaterThan(40);
    expect(warm.stats).toMatchObject({
      hits: cold.stats?.misses,
      misses: 0,
      rejected: 0,
      reusedBytes: cold.stats?.compressedBytes,
      compressedBytes: 0,
    });
    expect(entries(cache).length).toBe(cold.stats?.misses);
  }, 120_000);

  it('compresses only what a changed file touches, and a reverted file hits again', async () => {
    const cache = freshCache(`${name}-edit`);
    const original = await build(compressor, cache);
    const edited = await build(compressor, cache, withDoc('edited\n'));
    const reverted = await build(compressor, cache);
    const editedCold = await build(compressor, undefined, withDoc('edited\n'));

    expect(edited.digest).not.toBe(original.digest);
    expect(edited.digest).toBe(editedCold.digest);
    expect(edited.stats?.hits).toBeGreaterThan(40);
    expect(edited.stats?.misses).toBeGreaterThan(0);
    expect(edited.stats?.misses).toBeLessThan(8);
    expect(reverted.digest).toBe(original.digest);
    expect(reverted.stats).toMatchObject({ misses: 0, rejected: 0 });
  }, 120_000);

  it('compresses damaged entries again instead of trusting them, and repairs them', async () => {
    const cache = freshCache(`${name}-damaged`);
    const cold = await build(compressor, cache, undefined, 1);
    const files = entries(cache).sort();
    const [flipped, truncated, emptied, foreign] = files;
    const bytes = readFileSync(flipped as string);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x40;
    writeFileSync(flipped as string, bytes);
    const whole = readFileSync(truncated as string);
    writeFileSync(truncated as string, whole.subarray(0, whole.length - 1));
    writeFileSync(emptied as string, new Uint8Array());
    // A sound entry under the wrong name: its digest covers the key, so it is refused.
    writeFileSync(foreign as string, readFileSync(files[files.length - 1] as string));

    const warm = await build(compressor, cache);
    expect(warm.digest).toBe(cold.digest);
    expect(warm.stats).toMatchObject({
      rejected: 4,
      misses: 4,
      hits: (cold.stats?.misses ?? 0) - 4,
    });

    const again = await build(compressor, cache);
    expect(again.stats).toMatchObject({ rejected: 0, misses: 0 });
    expect(again.digest).toBe(cold.digest);
  }, 120_000);
});

describe('block cache keys', () => {
  it('keeps apart the results of other compressor settings and block sizes', async () => {
    const cache = freshCache('settings');
    const nodes: FixtureNode[] = [
      {
        kind: 'file',
        path: '/data',
        meta: { mode: 0o644, uid: 0, gid: 0, mtime: MKFS_TIME },
        // Compressible, and no two blocks alike (a repeated block would hit within one image).
        data: new Uint8Array([
          ...pseudoRandomBytes(200_000, 9),
          ...new TextEncoder().encode(Array.from({ length: 40_000 }, (_, n) => n).join(' ')),
        ]),
        feed: 'whole',
      },
    ];
    const first = await build({ kind: 'zstd', level: 3 }, cache, nodes);
    for (const compressor of [
      { kind: 'zstd', level: 4 },
      { kind: 'xz', level: 1 },
      { kind: 'xz', level: 1, bcj: 'x86' },
    ] as const) {
      const other = await build(compressor, cache, nodes);
      expect(other.stats?.hits).toBe(0);
    }
    serial += 1;
    const image = join(temp.dir, `image-${serial}.sqfs`);
    const smaller = await buildImage(
      image,
      {
        compressor: { kind: 'zstd', level: 3 },
        mkfsTime: MKFS_TIME,
        blockSize: 65536,
        blockCache: cache,
      },
      nodes,
    );
    expect(smaller.blockCache?.hits).toBe(0);
    expect((await build({ kind: 'zstd', level: 3 }, cache, nodes)).stats?.misses).toBe(0);
    expect(first.stats?.hits).toBe(0);
  }, 120_000);

  it('reads back as the same tree with unsquashfs', async () => {
    const cache = freshCache('readable');
    await build({ kind: 'zstd' }, cache);
    const warm = await build({ kind: 'zstd' }, cache);
    const listing = run('unsquashfs', ['-lls', '-n', warm.image]).toString();
    expect(listing).toContain('squashfs-root/usr/lib/random.bin');
    run('unsquashfs', ['-d', join(temp.dir, 'unpacked'), '-n', warm.image]);
    expect(readFileSync(join(temp.dir, 'unpacked/usr/share/doc/a.txt'), 'utf8')).toBe(
      'same\n'.repeat(999),
    );
  }, 120_000);
});
