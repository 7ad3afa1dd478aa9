import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCpioNewc } from './cpio.ts';
import type { CpioEntry } from './cpio.ts';

const meta = (mode: number, mtime = 1_700_000_000) => ({ mode, uid: 0, gid: 0, mtime });
const ENTRIES: CpioEntry[] = [
  { type: 'directory', path: '/', meta: meta(0o755) },
  { type: 'directory', path: '/bin', meta: meta(0o755) },
  {
    type: 'file',
    path: '/init',
    meta: meta(0o755),
    content: new TextEncoder().encode('#!/bin/sh\necho hi\n'),
  },
  {
    type: 'file',
    path: '/bin/odd',
    meta: { mode: 0o4711, uid: 1000, gid: 100, mtime: 42 },
    content: new Uint8Array(4097).fill(7),
  },
  { type: 'file', path: '/empty', meta: meta(0o600), content: new Uint8Array() },
  { type: 'symlink', path: '/bin/sh', meta: meta(0o777), target: 'busybox' },
  { type: 'char-device', path: '/console', meta: meta(0o600), major: 5, minor: 1 },
];

let dir: string;
let archive: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cpio-'));
  archive = join(dir, 'initrd.cpio');
  await import('node:fs/promises').then((fs) => fs.writeFile(archive, writeCpioNewc(ENTRIES)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCpioNewc', () => {
  it('lists every entry with its mode, owner, size and time as GNU cpio reads it', () => {
    const listing = execFileSync('cpio', ['-t', '-v', '--numeric-uid-gid', '-F', archive], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    const lines = listing.trim().split('\n');
    expect(lines).toHaveLength(ENTRIES.length);
    expect(lines[3]).toMatch(/^-rws--x--x\s+1 1000\s+100\s+4097 Jan\s+1\s+1970 bin\/odd$/);
    expect(lines[5]).toMatch(/^lrwxrwxrwx .* bin\/sh -> busybox$/);
    expect(lines[6]).toMatch(/^crw-------\s+1 0\s+0\s+5,\s+1 .* console$/);
  });

  it('extracts to the same files, links and contents', async () => {
    const out = join(dir, 'out');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('cpio', ['-i', '-d', '--no-absolute-filenames', '-F', archive], {
      cwd: out,
      stdio: 'ignore',
    });
    expect((await readFile(join(out, 'init'))).toString()).toBe('#!/bin/sh\necho hi\n');
    expect((await readFile(join(out, 'bin/odd'))).equals(Buffer.alloc(4097, 7))).toBe(true);
    expect(await readlink(join(out, 'bin/sh'))).toBe('busybox');
    expect((await lstat(join(out, 'console'))).isCharacterDevice()).toBe(true);
  });

  it('is byte-for-byte deterministic and 4-byte aligned', () => {
    const first = writeCpioNewc(ENTRIES);
    expect(Buffer.from(first).equals(Buffer.from(writeCpioNewc(ENTRIES)))).toBe(true);
    expect(first.length % 4).toBe(0);
  });

  it('refuses duplicate paths and paths with ..', () => {
    expect(() => writeCpioNewc([ENTRIES[0] as CpioEntry, ENTRIES[0] as CpioEntry])).toThrow(
      /listed twice/,
    );
    expect(() =>
      writeCpioNewc([{ type: 'directory', path: '/a/../b', meta: meta(0o755) }]),
    ).toThrow(/\.\./);
  });
});
