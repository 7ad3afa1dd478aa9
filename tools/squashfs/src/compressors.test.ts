import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MKFS_TIME, buildImage, makeTempDir, run } from './test-support.ts';
import type { SquashfsOptions } from './types.ts';

const temp = makeTempDir('compressors');
const reference = join(temp.dir, 'reference.sqfs');

function sqfsdiff(a: string, b: string): string {
  try {
    return execFileSync('sqfsdiff', ['--timestamps', '--old', a, '--new', b], { encoding: 'utf8' });
  } catch (error) {
    const { status, stdout } = error as { status: number; stdout: string };
    throw new Error(`sqfsdiff exited with ${status}:\n${stdout}`);
  }
}

function xattrs(image: string, path: string): string {
  return run('rdsquashfs', ['--xattr', path, image]).toString();
}

beforeAll(async () => {
  await buildImage(reference, { compressor: { kind: 'zstd', level: 3 }, mkfsTime: MKFS_TIME });
}, 120_000);

afterAll(() => temp.cleanup());

const variants: [string, SquashfsOptions, RegExp[], RegExp[]][] = [
  [
    'xz',
    { compressor: { kind: 'xz' }, mkfsTime: MKFS_TIME, workers: 2 },
    [/^Compression xz$/m, /^Block size 131072$/m, /not exportable/],
    [/Filters selected/, /Dictionary size/],
  ],
  [
    'xz with the x86 BCJ filter, level 9, 64 KiB blocks',
    { compressor: { kind: 'xz', level: 9, bcj: 'x86' }, blockSize: 65536, mkfsTime: MKFS_TIME },
    [/^Compression xz$/m, /^\s+Filters selected: x86$/m, /^Block size 65536$/m],
    [],
  ],
  [
    'zstd at its default level, exportable, 4 KiB blocks',
    {
      compressor: { kind: 'zstd' },
      blockSize: 4096,
      mkfsTime: MKFS_TIME,
      workers: 1,
      exportable: true,
    },
    [/^Compression zstd$/m, /^Block size 4096$/m, /^Filesystem is exportable via NFS$/m],
    [/compression-level/],
  ],
  [
    'zstd level 19',
    { compressor: { kind: 'zstd', level: 19 }, mkfsTime: MKFS_TIME, workers: 2 },
    [/^Compression zstd$/m, /^\s+compression-level 19$/m],
    [],
  ],
];

describe('compressors', () => {
  it('names the reference compressor and its level (unsquashfs -s)', () => {
    expect(run('unsquashfs', ['-s', reference]).toString()).toMatch(/^\s+compression-level 3$/m);
    expect(xattrs(reference, '/usr/bin/ping')).toContain('security.capability=0x01000002');
  });

  it.each(variants)(
    '%s: super block and options as requested, same tree as the reference (sqfsdiff)',
    async (name, options, present, absent) => {
      const image = join(temp.dir, `${name.replace(/\W+/g, '-')}.sqfs`);
      await buildImage(image, options);
      const superBlock = run('unsquashfs', ['-s', image]).toString();
      expect(superBlock).toMatch(/^Creation or last append time Tue Nov 14 22:13:20 2023$/m);
      for (const pattern of present) expect(superBlock).toMatch(pattern);
      for (const pattern of absent) expect(superBlock).not.toMatch(pattern);
      // sqfsdiff ignores xattr values, so compare those separately.
      expect(sqfsdiff(reference, image)).toBe('');
      for (const path of ['/usr/bin/ping', '/var/lib/nobody']) {
        expect(xattrs(image, path)).toBe(xattrs(reference, path));
      }
    },
    120_000,
  );
});
