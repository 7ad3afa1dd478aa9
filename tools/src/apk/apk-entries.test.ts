import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_CHUNK_BYTES, wholeEntries } from '../packages/content.ts';
import type { WholeEntry } from '../packages/content.ts';
import type { StreamedEntry } from '../packages/model.ts';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { buildApk, capabilityXattr } from './apk-builder.support.ts';
import type { TarSpec } from './apk-builder.support.ts';
import { readApkPackage, streamApkEntries, streamPackageData } from './index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apk-entries-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let counter = 0;
async function entriesOf(data: readonly TarSpec[], checksums = true): Promise<WholeEntry[]> {
  const file = join(dir, `p${(counter += 1)}.apk`);
  await writeFile(file, buildApk({ data, checksums }));
  const out: WholeEntry[] = [];
  const options = { keys: new Map(), requireSignature: false };
  for await (const item of wholeEntries(streamApkEntries(file, options))) {
    out.push(item);
  }
  return out;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('streamApkEntries', () => {
  it('maps tar members to image entries', async () => {
    const items = await entriesOf([
      { name: './usr/', type: '5', mode: 0o755, mtime: 5 },
      { name: 'usr/bin/', type: '5' },
      {
        name: 'usr/bin/ping',
        content: 'ELF',
        mode: 0o4755,
        uid: 0,
        gid: 0,
        pax: {
          'SCHILY.xattr.security.capability': capabilityXattr([12, 13]),
          'SCHILY.xattr.user.x': 'y',
        },
      },
      { name: 'usr/bin/sh', type: '2', linkname: '/bin/busybox' },
      { name: 'usr/bin/ping6', type: '1', linkname: 'usr/bin/ping' },
      { name: 'dev/', type: '5' },
      { name: 'dev/null', type: '3', devmajor: 1, devminor: 3, mode: 0o666 },
    ]);
    const entries = items.map((item) => item.entry);
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['/usr', 'directory'],
      ['/usr/bin', 'directory'],
      ['/usr/bin/ping', 'file'],
      ['/usr/bin/sh', 'symlink'],
      ['/usr/bin/ping6', 'hardlink'],
      ['/dev', 'directory'],
      ['/dev/null', 'char-device'],
    ]);
    expect(entries[0]).toEqual({
      path: '/usr',
      type: 'directory',
      mode: 0o755,
      user: 'root',
      group: 'root',
      uid: 0,
      gid: 0,
      size: 0,
      mtime: 5,
      flags: [],
    });
    expect(entries[2]).toMatchObject({
      mode: 0o4755,
      size: 3,
      digest: { algorithm: 'sha1', hex: sha1('ELF') },
      capabilities: 'cap_net_admin,cap_net_raw=ep',
      xattrs: { 'user.x': Buffer.from('y') },
    });
    expect(Buffer.from(items[2]?.content ?? []).toString()).toBe('ELF');
    expect(entries[3]).toMatchObject({
      linkTarget: '/bin/busybox',
      digest: { hex: sha1('/bin/busybox') },
    });
    expect(entries[4]).toMatchObject({
      linkTarget: '/usr/bin/ping',
      size: 0,
      digest: { hex: sha1('ELF') },
    });
    expect(items[4]?.content).toBeUndefined();
    expect(entries[6]).toMatchObject({ device: { major: 1, minor: 3 }, mode: 0o666 });
  });

  it('streams real packages with hardlinks and several data members', async () => {
    const file = fixture('apk', 'synthetic', 'apko', 'tzdata-2023c-r0.apk');
    const pkg = await readApkPackage(file, { keys: new Map(), requireSignature: false });
    const items: StreamedEntry[] = [];
    for await (const item of streamPackageData(pkg)) {
      items.push(item);
    }
    expect(items).toHaveLength(1248);
    const accra = items.find((i) => i.entry.path === '/usr/share/zoneinfo/Africa/Accra')?.entry;
    expect(accra).toMatchObject({
      type: 'hardlink',
      linkTarget: '/usr/share/zoneinfo/Africa/Abidjan',
    });
    const hardlinks = items.filter((i) => i.entry.type === 'hardlink');
    expect(hardlinks.length).toBeGreaterThan(100);
  });

  it.each<[string, TarSpec[], new (...args: never[]) => Error, RegExp]>([
    [
      'a .. component',
      [{ name: 'usr/../../etc/passwd', content: 'x' }],
      UnsafeEntryError,
      /\.\. component/,
    ],
    [
      'an absolute path',
      [{ name: '/etc/passwd', content: 'x' }],
      UnsafeEntryError,
      /absolute path/,
    ],
    [
      'a path through a symlink of the package',
      [
        { name: 'lib', type: '2', linkname: '/etc' },
        { name: 'lib/passwd', content: 'x' },
      ],
      UnsafeEntryError,
      /symlink the package itself creates/,
    ],
    [
      'a path through a symlink to a directory',
      [
        { name: 'a/', type: '5' },
        { name: 'a/b', type: '2', linkname: '..' },
        { name: 'a/b/c/', type: '5' },
      ],
      UnsafeEntryError,
      /symlink/,
    ],
    [
      'a path below a file',
      [
        { name: 'f', content: 'x' },
        { name: 'f/g', content: 'y' },
      ],
      UnsafeEntryError,
      /installs as a file/,
    ],
    [
      'a repeated path',
      [
        { name: 'f', content: 'x' },
        { name: 'f', content: 'y' },
      ],
      UnsafeEntryError,
      /appears twice/,
    ],
    [
      'a hardlink outside the package',
      [{ name: 'h', type: '1', linkname: 'etc/shadow' }],
      UnsafeEntryError,
      /not an earlier regular file/,
    ],
    [
      'a hardlink escaping the root',
      [{ name: 'h', type: '1', linkname: '../../etc/shadow' }],
      UnsafeEntryError,
      /hardlink target/,
    ],
    [
      'a hardlink to a symlink',
      [
        { name: 's', type: '2', linkname: 'x' },
        { name: 'h', type: '1', linkname: 's' },
      ],
      UnsafeEntryError,
      /not an earlier regular file/,
    ],
    [
      'a symlink without target',
      [{ name: 's', type: '2', linkname: '' }],
      PackageFormatError,
      /no target/,
    ],
  ])('refuses %s', async (_what, data, kind, message) => {
    const error = await entriesOf(data, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String(error)).toMatch(message);
    expect(String(error)).toContain('demo-1.0-r0 (');
  });

  it('checks per-file SHA1 records against content, link targets and linked files', async () => {
    const wrong = { 'APK-TOOLS.checksum.SHA1': sha1('other') };
    await expect(entriesOf([{ name: 'f', content: 'x', pax: wrong }], false)).rejects.toThrow(
      PackageVerifyError,
    );
    await expect(
      entriesOf([{ name: 's', type: '2', linkname: 't', pax: wrong }], false),
    ).rejects.toThrow(/link target/);
    await expect(
      entriesOf(
        [
          { name: 'f', content: 'x' },
          { name: 'h', type: '1', linkname: 'f', pax: wrong },
        ],
        true,
      ),
    ).rejects.toThrow(/content of \/f/);
    await expect(
      entriesOf([{ name: 'f', content: 'x', pax: { 'APK-TOOLS.checksum.SHA1': 'zz' } }], false),
    ).rejects.toThrow(/malformed/);
  });

  it('drops repeated directories and the archive root', async () => {
    const items = await entriesOf([
      { name: './', type: '5' },
      { name: 'd/', type: '5' },
      { name: 'd', type: '5' },
    ]);
    expect(items.map((i) => i.entry.path)).toEqual(['/d']);
  });
});

describe('streamApkEntries with large files', () => {
  const SIZE = 3 * CONTENT_CHUNK_BYTES + 777;
  const big = Uint8Array.from({ length: SIZE }, (_, index) => (index * 13) % 253);
  const bigSha1 = createHash('sha1').update(big).digest('hex');

  async function apkWith(data: readonly TarSpec[]): Promise<string> {
    const file = join(dir, `big${(counter += 1)}.apk`);
    await writeFile(file, buildApk({ data }));
    return file;
  }

  /** Reads every entry and its chunks; the sizes of the chunks of each file, by path. */
  async function readChunks(file: string, chunks: Map<string, number[]>): Promise<void> {
    for await (const { entry, content } of streamApkEntries(file, {
      keys: new Map(),
      requireSignature: false,
    })) {
      if (content === undefined) continue;
      const sizes: number[] = [];
      chunks.set(entry.path, sizes);
      if (content instanceof Uint8Array) sizes.push(-content.length);
      else for await (const chunk of content) sizes.push(chunk.length);
    }
  }

  it('hands a large file over in bounded chunks, checked against its SHA1 record', async () => {
    const file = await apkWith([
      { name: 'srv/', type: '5' },
      { name: 'srv/blob', content: big },
      { name: 'srv/small', content: 'x' },
    ]);
    const chunks = new Map<string, number[]>();
    await readChunks(file, chunks);
    const sizes = chunks.get('/srv/blob') ?? [];
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CONTENT_CHUNK_BYTES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(SIZE);
    expect(chunks.get('/srv/small')).toEqual([-1]);

    const hash = createHash('sha1');
    for await (const { content } of streamApkEntries(file, {
      keys: new Map(),
      requireSignature: false,
    })) {
      if (content !== undefined && !(content instanceof Uint8Array)) {
        for await (const chunk of content) hash.update(chunk);
      }
    }
    expect(hash.digest('hex')).toBe(bigSha1);
  });

  it('fails a large file that does not match its SHA1 record after its last chunk', async () => {
    const wrong = { 'APK-TOOLS.checksum.SHA1': sha1('other') };
    const file = await apkWith([{ name: 'blob', content: big, pax: wrong }]);
    const chunks = new Map<string, number[]>();
    const error = await readChunks(file, chunks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toMatch(/\/blob: the content does not match its APK-TOOLS.checksum.SHA1/);
    expect((chunks.get('/blob') ?? []).reduce((a, b) => a + b, 0)).toBe(SIZE);
  });

  it('checks a large file that nobody reads before going on', async () => {
    const wrong = { 'APK-TOOLS.checksum.SHA1': sha1('other') };
    const file = await apkWith([
      { name: 'blob', content: big, pax: wrong },
      { name: 'after', content: 'x' },
    ]);
    const paths: string[] = [];
    const error = await (async () => {
      for await (const { entry } of streamApkEntries(file, {
        keys: new Map(),
        requireSignature: false,
      })) {
        paths.push(entry.path);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(paths).toEqual(['/blob']);
  });
});
