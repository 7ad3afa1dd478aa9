import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Expected } from './test-expectations.ts';
import { expectedEntries, modeString, parseListing, utcMinute } from './test-expectations.ts';
import {
  BLOCK_SIZE,
  MKFS_TIME,
  buildImage,
  fixtureNodes,
  makeTempDir,
  run,
} from './test-support.ts';

const nodes = fixtureNodes();
const expected = expectedEntries(nodes);
const isRoot = process.getuid?.() === 0;
const temp = makeTempDir('writer');
const image = join(temp.dir, 'fixture.sqfs');

function stat(path: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of run('rdsquashfs', ['--stat', path, image]).toString().split('\n')) {
    const colon = line.indexOf(': ');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return fields;
}

function shownXattrValue(value: Uint8Array): string {
  const printable = value.every((byte) => byte >= 0x20 && byte < 0x7f);
  return printable
    ? Buffer.from(value).toString('latin1')
    : `0x${Buffer.from(value).toString('hex')}`;
}

beforeAll(async () => {
  await buildImage(image, { compressor: { kind: 'zstd' }, mkfsTime: MKFS_TIME, workers: 2 });
}, 120_000);

afterAll(() => temp.cleanup());

describe('an image written from an in-memory tree', () => {
  it('lists every node with numeric owners, modes, sizes, link targets and devices (unsquashfs -lln)', () => {
    const listed = parseListing(run('unsquashfs', ['-lln', image]).toString());
    expect([...listed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const entry of expected.values()) {
      const line = listed.get(entry.path);
      expect(line, entry.path).toMatchObject({
        perms: modeString(entry.type, entry.mode),
        uid: entry.uid,
        gid: entry.gid,
        date: utcMinute(entry.mtime),
      });
      if (entry.data !== undefined)
        expect(line?.size, entry.path).toBe(String(entry.data.byteLength));
      if (entry.target !== undefined) {
        expect(line?.target, entry.path).toBe(entry.target);
        expect(line?.size, entry.path).toBe(String(Buffer.byteLength(entry.target)));
      }
      // unsquashfs -lln prints major/minor the pre-2.6 way, so only small minors read back.
      if (entry.device !== undefined && entry.device[1] < 256) {
        expect(line?.size, entry.path).toBe(`${entry.device[0]}, ${entry.device[1]}`);
      }
    }
    expect(listed.get('/usr/bin/su')?.perms).toBe('-rwsr-xr-x');
    expect(listed.get('/usr/bin/wall')?.perms).toBe('-rwxr-sr-x');
    expect(listed.get('/tmp')?.perms).toBe('drwxrwxrwt');
    expect(listed.get('/srv/shared')).toMatchObject({ perms: 'drwxrwsr-x', uid: 1000, gid: 1000 });
    expect(listed.get('/var/lib/nobody/state')).toMatchObject({ uid: 65534, gid: 65534 });
  });

  it('keeps exact mtimes, device numbers and link counts (rdsquashfs --stat)', () => {
    const inodeNumbers = new Map<string, string>();
    for (const entry of expected.values()) {
      const fields = stat(entry.path);
      expect(fields['Last modified'], entry.path).toMatch(new RegExp(`\\(${entry.mtime}\\)$`));
      inodeNumbers.set(entry.path, fields['Inode number'] as string);
      if (entry.device !== undefined) {
        expect(fields['Device number'], entry.path).toMatch(
          new RegExp(`^${entry.device.join(':')} `),
        );
      }
      if (entry.type === 'd') {
        const subdirs = [...expected.values()].filter(
          (other) =>
            other.type === 'd' &&
            other.path !== '/' &&
            other.path.slice(0, other.path.lastIndexOf('/')) ===
              (entry.path === '/' ? '' : entry.path),
        ).length;
        expect(fields['Hard link count'], entry.path).toBe(String(2 + subdirs));
      }
    }
    expect(stat('/usr/bin/gunzip')['Hard link count']).toBe('2');
    expect(inodeNumbers.get('/usr/bin/gunzip')).toBe(inodeNumbers.get('/usr/bin/gzip'));
    const distinct = new Set(inodeNumbers.values());
    expect(distinct.size).toBe(expected.size - 1);
    expect(Number(stat('/')['Inode number'])).toBe(distinct.size);
  });

  it('stores file data byte for byte, including block edge cases and sparse blocks (rdsquashfs --cat)', () => {
    for (const entry of expected.values()) {
      if (entry.data === undefined) continue;
      const data = run('rdsquashfs', ['--cat', entry.path, image]);
      expect(data.equals(Buffer.from(entry.data)), entry.path).toBe(true);
    }
    expect(stat('/usr/lib/exact-block')).toMatchObject({
      'Block count': '1',
      'Fragment index': '0xFFFFFFFF',
    });
    expect(stat('/usr/lib/blocks-and-tail')['Block count']).toBe('3');
    expect(stat('/usr/lib/sparse.img')['Sparse']).toBe(String(BLOCK_SIZE));
  });

  it('stores security.capability and user xattrs on files and directories (rdsquashfs --xattr)', () => {
    for (const entry of expected.values()) {
      const output = run('rdsquashfs', ['--xattr', entry.path, image]).toString();
      const shown = Object.entries(entry.xattrs).map(
        ([key, value]) => `${key}=${shownXattrValue(value)}`,
      );
      expect(output.split('\n').filter(Boolean).sort(), entry.path).toEqual(shown.sort());
    }
    expect(run('rdsquashfs', ['--xattr', '/usr/bin/ping', image]).toString()).toContain(
      'security.capability=0x0100000200200000000000000000000000000000',
    );
  });

  it('extracts with unsquashfs into the same tree', () => {
    const out = join(temp.dir, 'extracted');
    // Without root, device nodes cannot be created and owners cannot be set.
    const subset = isRoot ? [] : ['/bin', '/etc', '/home', '/run', '/srv', '/tmp', '/usr', '/var'];
    run('unsquashfs', ['-q', '-n', ...(isRoot ? [] : ['-no-xattrs']), '-d', out, image, ...subset]);
    const inodes = new Map<string, number>();
    const check = (entry: Expected): void => {
      const path = join(out, entry.path);
      const info = lstatSync(path);
      const permissionMask = isRoot ? 0o7777 : 0o777;
      if (entry.type !== 'l')
        expect(info.mode & permissionMask, entry.path).toBe(entry.mode & permissionMask);
      if (isRoot) expect([info.uid, info.gid], entry.path).toEqual([entry.uid, entry.gid]);
      if (entry.type === '-' || entry.type === 'd')
        expect(info.mtimeMs, entry.path).toBe(entry.mtime * 1000);
      if (entry.data !== undefined)
        expect(readFileSync(path).equals(Buffer.from(entry.data)), entry.path).toBe(true);
      if (entry.target !== undefined) expect(readlinkSync(path), entry.path).toBe(entry.target);
      if (entry.type === 'p') expect(info.isFIFO(), entry.path).toBe(true);
      if (entry.type === 's') expect(info.isSocket(), entry.path).toBe(true);
      if (entry.device !== undefined) {
        const major = Math.floor(info.rdev / 256) & 0xfff;
        const minor = (info.rdev & 0xff) | (Math.floor(info.rdev / 4096) & ~0xff);
        expect([info.isCharacterDevice() ? 'c' : 'b', major, minor], entry.path).toEqual([
          entry.type,
          ...entry.device,
        ]);
      }
      if (entry.linkOf !== undefined) expect(info.ino, entry.path).toBe(inodes.get(entry.linkOf));
      inodes.set(entry.path, info.ino);
    };
    for (const entry of expected.values()) {
      if (entry.path === '/' || isRoot || !entry.path.startsWith('/dev')) check(entry);
    }
  });
});
