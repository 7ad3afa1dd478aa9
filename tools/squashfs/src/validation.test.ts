import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { MKFS_TIME, makeTempDir, run } from './test-support.ts';
import type { FileContent, NodeMeta, SquashfsOptions } from './types.ts';
import { SquashfsWriter } from './writer.ts';

const temp = makeTempDir('validation');
afterAll(() => temp.cleanup());

const meta: NodeMeta = { mode: 0o644, uid: 0, gid: 0, mtime: 1 };
let counter = 0;

function writer(options: Partial<SquashfsOptions> = {}): SquashfsWriter {
  counter += 1;
  return new SquashfsWriter(join(temp.dir, `v${counter}.sqfs`), {
    compressor: { kind: 'zstd', level: 1 },
    mkfsTime: MKFS_TIME,
    workers: 1,
    ...options,
  });
}

describe('paths', () => {
  it.each([
    ['etc/passwd', /invalid path "etc\/passwd": it must be absolute/],
    ['/etc/', /invalid path "\/etc\/": it must not end with "\/"/],
    ['/etc//passwd', /invalid path "\/etc\/\/passwd": it contains an empty component/],
    ['/etc/./passwd', /invalid path "\/etc\/.\/passwd": "." components/],
    ['/etc/../passwd', /invalid path "\/etc\/..\/passwd": ".." components/],
    ['/etc/pass\0wd', /invalid path "\/etc\/pass\\u0000wd": it contains a NUL/],
    ['/bad\uD800', /invalid path "\/bad\\ud800": it is not well-formed Unicode/],
    [`/${'x'.repeat(256)}`, /a name is longer than 255 bytes/],
    [`/${'é'.repeat(128)}`, /a name is longer than 255 bytes/],
  ])('refuses %j', (path, message) => {
    const w = writer();
    expect(() => w.fifo(path, meta)).toThrow(message);
    expect(() => w.directory(path, meta)).toThrow(message);
    expect(() => w.file(path, meta, new Uint8Array(1))).toThrow(message);
  });

  it('accepts the longest names and non-ASCII names', async () => {
    const w = writer();
    w.fifo(`/${'x'.repeat(255)}`, meta);
    w.fifo(`/${'é'.repeat(127)}`, meta);
    w.fifo('/日本語', meta);
    await w.finish();
  });
});

describe('the tree', () => {
  it('refuses a path added twice, naming it', () => {
    const w = writer();
    w.fifo('/run/a', meta);
    expect(() => w.socket('/run/a', meta)).toThrow('squashfs: "/run/a" already exists (as a fifo)');
    expect(() => w.directory('/run/a', meta)).toThrow('"/run/a" already exists');
    w.directory('/etc', meta);
    expect(() => w.directory('/etc', meta)).toThrow('"/etc" already exists (as a directory)');
    expect(() => w.file('/etc', meta, new Uint8Array(0))).toThrow('"/etc" already exists');
  });

  it('refuses paths below a non-directory, naming both', () => {
    const w = writer();
    w.symlink('/lib', 'usr/lib', meta);
    expect(() => w.fifo('/lib/x/y', meta)).toThrow(
      'squashfs: cannot add "/lib/x/y": "/lib" is a symlink, not a directory',
    );
  });

  it('creates missing parents as root:root 0755 at mkfs time, and lets directory() claim them once', async () => {
    const w = writer();
    w.fifo('/a/b/c/fifo', meta);
    w.directory('/a/b', { mode: 0o700, uid: 7, gid: 8, mtime: 42 });
    expect(() => w.directory('/a/b', meta)).toThrow('"/a/b" already exists');
    w.directory('/', { mode: 0o711, uid: 0, gid: 0, mtime: 5 });
    expect(() => w.directory('/', meta)).toThrow('"/" already exists');
    await w.finish();
    const listing = run('unsquashfs', ['-lln', join(temp.dir, `v${counter}.sqfs`)]).toString();
    expect(listing).toMatch(/^drwx--x--x 0\/0 .* 1970-01-01 00:00 squashfs-root$/m);
    expect(listing).toMatch(/^drwxr-xr-x 0\/0 .* 2023-11-14 22:13 squashfs-root\/a$/m);
    expect(listing).toMatch(/^drwx------ 7\/8 .* 1970-01-01 00:00 squashfs-root\/a\/b$/m);
    expect(listing).toMatch(/^drwxr-xr-x 0\/0 .* 2023-11-14 22:13 squashfs-root\/a\/b\/c$/m);
  });

  it('links only to existing non-directories', () => {
    const w = writer();
    w.directory('/d', meta);
    expect(() => w.hardlink('/x', '/missing')).toThrow(
      'squashfs: cannot link "/x" to "/missing": no such path',
    );
    expect(() => w.hardlink('/x', '/d')).toThrow('cannot link "/x" to "/d": it is a directory');
    w.fifo('/f', meta);
    expect(() => w.hardlink('/f', '/f')).toThrow('"/f" already exists');
  });

  it('keeps working after a refused call', async () => {
    const w = writer();
    w.fifo('/a', meta);
    expect(() => w.fifo('/a', meta)).toThrow();
    expect(() => w.fifo('/a/b', meta)).toThrow();
    await expect(w.finish()).resolves.toEqual({ bytes: 4096, inodes: 2 });
  });
});

describe('node arguments', () => {
  it.each<[string, Partial<NodeMeta>, RegExp]>([
    [
      'file type bits in the mode',
      { mode: 0o100644 },
      /mode of "\/n" must hold permission bits only/,
    ],
    ['a negative uid', { uid: -1 }, /uid of "\/n" must be an integer from 0 to 4294967295, got -1/],
    ['a fractional mtime', { mtime: 1.5 }, /mtime of "\/n" must be an integer/],
    ['a gid beyond 32 bits', { gid: 2 ** 32 }, /gid of "\/n" must be an integer/],
    [
      'a system.* xattr',
      { xattrs: { 'system.posix_acl_access': new Uint8Array(4) } },
      /xattr "system.posix_acl_access" of "\/n": only "user.\*", "trusted.\*", "security.\*" names/,
    ],
    ['a bare prefix xattr', { xattrs: { 'user.': new Uint8Array(1) } }, /xattr "user." of "\/n"/],
    [
      'a string xattr value',
      { xattrs: { 'user.a': 'text' as unknown as Uint8Array } },
      /xattr "user.a" of "\/n" must be a Uint8Array/,
    ],
    [
      'an oversized xattr',
      { xattrs: { 'user.a': new Uint8Array(65537) } },
      /larger than 65536 bytes/,
    ],
  ])('refuses %s', (_what, change, message) => {
    expect(() => writer().fifo('/n', { ...meta, ...change })).toThrow(message);
  });

  it('checks symlink targets, device numbers and file content', () => {
    const w = writer();
    expect(() => w.symlink('/l', '', meta)).toThrow(
      'symlink target of "/l" must be a non-empty string',
    );
    expect(() => w.symlink('/l', 'a\0b', meta)).toThrow('symlink target of "/l"');
    expect(() => w.symlink('/l', 'x'.repeat(4096), meta)).toThrow('at most 4095 bytes');
    expect(() => w.device('/d', 'char', 4096, 0, meta)).toThrow(
      'device "/d" needs major 0..4095 and minor 0..1048575, got 4096:0',
    );
    expect(() => w.device('/d', 'pipe' as 'char', 1, 1, meta)).toThrow('must be "char" or "block"');
    expect(() => w.file('/f', meta, 'text' as unknown as FileContent)).toThrow(
      'content of "/f" must be a Uint8Array or an (async) iterable of Uint8Array',
    );
  });
});

describe('options', () => {
  it.each<[string, Partial<SquashfsOptions>, RegExp]>([
    [
      'an unknown compressor',
      { compressor: { kind: 'gzip' } as unknown as SquashfsOptions['compressor'] },
      /compressor must be "xz" or "zstd", got gzip/,
    ],
    [
      'an xz level above 9',
      { compressor: { kind: 'xz', level: 10 } },
      /xz level must be an integer from 0 to 9, got 10/,
    ],
    [
      'zstd level 0',
      { compressor: { kind: 'zstd', level: 0 } },
      /zstd level must be an integer from 1 to 22/,
    ],
    [
      'a BCJ filter with zstd',
      { compressor: { kind: 'zstd', bcj: 'x86' } as unknown as SquashfsOptions['compressor'] },
      /a BCJ filter needs the xz compressor/,
    ],
    [
      'an ARM BCJ filter',
      { compressor: { kind: 'xz', bcj: 'arm' } as unknown as SquashfsOptions['compressor'] },
      /unsupported xz BCJ filter arm/,
    ],
    [
      'a block size that is no power of two',
      { blockSize: 12288 },
      /blockSize must be a power of two, got 12288/,
    ],
    [
      'a 2 MiB block size',
      { blockSize: 2 ** 21 },
      /blockSize must be a power of two from 4096 to 1048576/,
    ],
    [
      'a missing mkfs time',
      { mkfsTime: undefined as unknown as number },
      /mkfsTime must be an integer/,
    ],
    ['zero workers', { workers: 0 }, /workers must be an integer from 1 to 256, got 0/],
  ])('refuses %s before creating the file', (_what, change, message) => {
    const file = join(temp.dir, 'never.sqfs');
    expect(
      () => new SquashfsWriter(file, { compressor: { kind: 'zstd' }, mkfsTime: 0, ...change }),
    ).toThrow(message);
    expect(() => run('stat', [file])).toThrow();
  });
});

describe('life cycle', () => {
  it('refuses every call once finish() has started', async () => {
    const w = writer();
    const done = w.finish();
    expect(() => w.fifo('/x', meta)).toThrow(/the writer for ".*" is already finished/);
    expect(() => w.file('/y', meta, new Uint8Array(0))).toThrow('already finished');
    await done;
    await expect(w.finish()).rejects.toThrow('already finished');
  });

  it('can be aborted', async () => {
    const w = writer();
    void w.file('/a', meta, new Uint8Array(10));
    await w.abort();
    await expect(w.finish()).rejects.toThrow('already finished');
  });
});
