import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { FixtureNode } from './test-support.ts';
import { MKFS_TIME, buildImage, fixtureNodes, makeTempDir, sha256 } from './test-support.ts';
import type { SquashfsOptions } from './types.ts';

const temp = makeTempDir('reproducible');
afterAll(() => temp.cleanup());

async function build(dir: string, options: SquashfsOptions, nodes?: FixtureNode[]) {
  mkdirSync(join(temp.dir, dir), { recursive: true });
  const image = join(temp.dir, dir, 'image.sqfs');
  await buildImage(image, options, nodes);
  return image;
}

async function withUmask<T>(mask: number, action: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await action();
  } finally {
    process.umask(previous);
  }
}

/**
 * Same tree and same file order, but files come first (their parents start out implicit and are
 * claimed by directory() later) and everything without data is added in reverse order.
 */
function shuffledNodes(): FixtureNode[] {
  const nodes = fixtureNodes();
  const data = nodes.filter((node) => node.kind === 'file');
  const rest = nodes.filter((node) => node.kind !== 'file' && node.kind !== 'hardlink');
  const links = nodes.filter((node) => node.kind === 'hardlink');
  return [...data, ...rest.reverse(), ...links];
}

describe('reproducibility', () => {
  it.each<[string, SquashfsOptions['compressor']]>([
    ['zstd', { kind: 'zstd' }],
    ['xz level 1 with BCJ', { kind: 'xz', level: 1, bcj: 'x86' }],
  ])(
    '%s: identical bytes for 1, 2 and 4 workers, other directories, umasks and node order',
    async (_name, compressor) => {
      const one = await withUmask(0o022, () =>
        build(`${_name}-a/x`, { compressor, mkfsTime: MKFS_TIME, workers: 1 }),
      );
      const two = await withUmask(0o077, () =>
        build(`${_name}-b/y/z`, { compressor, mkfsTime: MKFS_TIME, workers: 2 }),
      );
      const shuffled = await build(
        `${_name}-c`,
        { compressor, mkfsTime: MKFS_TIME, workers: 4 },
        shuffledNodes(),
      );
      expect(statSync(one).mode & 0o777).toBe(0o644);
      expect(statSync(two).mode & 0o777).toBe(0o600);
      expect(sha256(two)).toBe(sha256(one));
      expect(sha256(shuffled)).toBe(sha256(one));
    },
    120_000,
  );

  it('changes when the mkfs time changes', async () => {
    const compressor = { kind: 'zstd', level: 1 } as const;
    const nodes = fixtureNodes().filter((node) => node.path !== '/usr/lib/random.bin');
    const a = await build('time-a', { compressor, mkfsTime: MKFS_TIME }, nodes);
    const b = await build('time-b', { compressor, mkfsTime: MKFS_TIME + 1 }, nodes);
    expect(sha256(a)).not.toBe(sha256(b));
  });
});
