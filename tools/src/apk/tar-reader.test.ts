import { describe, expect, it } from 'vitest';
import { InternalError } from '../core/errors.ts';
import { CONTENT_CHUNK_BYTES, ContentStream } from '../packages/content.ts';
import { PackageFormatError } from '../packages/errors.ts';
import { paxRecords, tarBytes } from './apk-builder.support.ts';
import type { TarSpec } from './apk-builder.support.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { DEFAULT_APK_LIMITS } from './limits.ts';
import { readTarEntries, streamTarEntries } from './tar-reader.ts';
import type { TarEntry, TarReadLimits } from './tar-reader.ts';

const LIMITS: TarReadLimits = {
  maxEntries: 100,
  maxFileBytes: 1 << 20,
  maxPaxBytes: 4096,
  maxPaxRecords: 16,
  maxLongNameBytes: DEFAULT_APK_LIMITS.maxLongNameBytes,
  maxArchiveBytes: 1 << 24,
};

/** Feeds the archive in awkward 7-byte chunks so that every read crosses chunk boundaries. */
function* chunked(bytes: Uint8Array, size = 7): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size);
  }
}

async function read(bytes: Uint8Array, limits: Partial<TarReadLimits> = {}): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const queue = new ByteReader(chunked(bytes));
  for await (const entry of readTarEntries(queue, { file: 't.tar' }, { ...LIMITS, ...limits })) {
    out.push(entry);
  }
  return out;
}

const text = (entry: TarEntry | undefined) => Buffer.from(entry?.content ?? []).toString();

describe('readTarEntries', () => {
  it('reads files, directories, links and devices with their metadata', async () => {
    const specs: TarSpec[] = [
      { name: 'etc/', type: '5', mode: 0o755, mtime: 1_700_000_000 },
      { name: 'etc/motd', content: 'hello\n', mode: 0o600, uid: 7, gid: 8, uname: 'u', gname: 'g' },
      { name: 'etc/link', type: '2', linkname: 'motd' },
      { name: 'etc/hard', type: '1', linkname: 'etc/motd' },
      { name: 'dev/null', type: '3', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'dev/sda', type: '4', devmajor: 8, devminor: 0 },
      { name: 'run/fifo', type: '6' },
    ];
    const entries = await read(tarBytes(specs));
    expect(entries.map((e) => [e.name, e.kind])).toEqual([
      ['etc/', 'directory'],
      ['etc/motd', 'file'],
      ['etc/link', 'symlink'],
      ['etc/hard', 'hardlink'],
      ['dev/null', 'char-device'],
      ['dev/sda', 'block-device'],
      ['run/fifo', 'fifo'],
    ]);
    expect(entries[0]?.mtime).toBe(1_700_000_000);
    expect(entries[1]).toMatchObject({
      mode: 0o600,
      uid: 7,
      gid: 8,
      uname: 'u',
      gname: 'g',
      size: 6,
    });
    expect(text(entries[1])).toBe('hello\n');
    expect(entries[2]?.linkname).toBe('motd');
    expect(entries[4]).toMatchObject({ devmajor: 1, devminor: 3 });
  });

  it('applies pax records: path, linkpath, size, ids, names, mtime, xattrs', async () => {
    const long = `usr/${'d'.repeat(150)}/${'f'.repeat(120)}`;
    const entries = await read(
      tarBytes([
        {
          name: 'short',
          content: 'x',
          pax: {
            path: long,
            uid: '100000',
            gid: '200000',
            uname: 'büro',
            gname: 'grüppe',
            mtime: '1585768977.212848737',
            'SCHILY.xattr.user.note': new Uint8Array([0, 1, 2, 255]),
          },
        },
        { name: 'l', type: '2', linkname: 'x', pax: { linkpath: `/${'t'.repeat(200)}` } },
      ]),
    );
    expect(entries[0]).toMatchObject({
      name: long,
      uid: 100000,
      gid: 200000,
      uname: 'büro',
      gname: 'grüppe',
    });
    expect(entries[0]?.mtime).toBe(1_585_768_977);
    expect([...(entries[0]?.pax.get('SCHILY.xattr.user.note') ?? [])]).toEqual([0, 1, 2, 255]);
    expect(entries[1]?.linkname).toBe(`/${'t'.repeat(200)}`);
  });

  it('reads GNU long names and long link targets', async () => {
    const name = `a/${'n'.repeat(300)}`;
    const target = `b/${'t'.repeat(300)}`;
    const entries = await read(
      tarBytes([
        { name: '././@LongLink', type: 'L', content: `${name}\0` },
        { name: '././@LongLink', type: 'K', content: `${target}\0` },
        { name: 'truncated-name', type: '2', linkname: 'truncated-target' },
        { name: 'next', content: 'n' },
      ]),
    );
    expect(entries.map((e) => [e.name, e.linkname])).toEqual([
      [name, target],
      ['next', ''],
    ]);
  });

  it('reads GNU base-256 sizes', async () => {
    const entries = await read(tarBytes([{ name: 'big', content: 'abc', base256Size: true }]));
    expect(text(entries[0])).toBe('abc');
  });

  it('ends cleanly at a block boundary without end-of-archive blocks (apk control parts)', async () => {
    const entries = await read(tarBytes([{ name: '.PKGINFO', content: 'pkgname = a\n' }], false));
    expect(entries).toHaveLength(1);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['a bad header checksum', tarBytes([{ name: 'f', content: 'x', checksum: 1 }]), /checksum/],
    ['a sparse file', tarBytes([{ name: 'f', type: 'S' }]), /unsupported tar entry type "S"/],
    [
      'a truncated file',
      tarBytes([{ name: 'f', content: 'x'.repeat(600) }], false).subarray(0, 900),
      /truncated/,
    ],
    [
      'a truncated header',
      tarBytes([{ name: 'f', content: 'x' }, { name: 'g' }]).subarray(0, 1100),
      /truncated in a header/,
    ],
    [
      'a pax record running past its header',
      tarBytes([{ name: 'p', type: 'x', content: '99 path=x\n' }, { name: 'f' }]),
      /pax record/,
    ],
    ['a pax record without a key', tarBytes([{ name: 'f', pax: { '': 'v' } }]), /without a key/],
    [
      'a non-numeric pax size',
      tarBytes([{ name: 'f', pax: { size: '12x' } }]),
      /malformed pax size/,
    ],
    [
      'an extended header with nothing after it',
      tarBytes([{ name: 'p', type: 'x', content: paxRecords({ a: 'b' }) }]),
      /ends after an extended header/,
    ],
    [
      'a name that is not UTF-8',
      tarBytes([{ name: 'f', pax: { path: new Uint8Array([0xff, 0xfe]) } }]),
      /UTF-8/,
    ],
  ])('refuses %s', async (_what, archive, message) => {
    const error = await read(archive).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(String(error)).toMatch(message);
  });

  it('bounds entries, file sizes, pax headers, pax records and long names', async () => {
    const many = tarBytes(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}` })));
    await expect(read(many, { maxEntries: 4 })).rejects.toThrow(/more than 4 entries/);
    await expect(
      read(tarBytes([{ name: 'f', content: 'x'.repeat(100) }]), { maxFileBytes: 99 }),
    ).rejects.toThrow(/larger than the 99 allowed/);
    const bigPax = tarBytes([{ name: 'f', pax: { comment: 'c'.repeat(5000) } }]);
    await expect(read(bigPax)).rejects.toThrow(/larger than 4096/);
    const records = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v']));
    await expect(read(tarBytes([{ name: 'f', pax: records }]))).rejects.toThrow(
      /more than 16 pax records/,
    );
    const longName = tarBytes([{ name: 'L', type: 'L', content: 'n'.repeat(5000) }, { name: 'f' }]);
    await expect(read(longName)).rejects.toThrow(/extended header/);
    const chain = tarBytes(
      Array.from({ length: 9 }, () => ({ name: 'p', type: 'x', content: paxRecords({ a: 'b' }) })),
    );
    await expect(read(chain)).rejects.toThrow(/too many extended headers/);
  });
});

/** `size` bytes that differ from one position to the next. */
function pattern(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, index) => (index * 7 + (index >> 12)) % 251);
}

describe('streamTarEntries', () => {
  const BIG = 3 * CONTENT_CHUNK_BYTES + 1234;
  const big = pattern(BIG);
  const archive = tarBytes([
    { name: 'small', content: 'tiny' },
    { name: 'big', content: big },
    { name: 'after', content: 'next' },
  ]);
  const limits = { ...LIMITS, maxFileBytes: 8 * CONTENT_CHUNK_BYTES };
  /** The archive as one buffer: the queue could hand a whole file over at once. */
  const stream = (bytes: Uint8Array = archive) =>
    streamTarEntries(new ByteReader([bytes]), { file: 't.tar' }, limits);

  it('hands a large file over in bounded chunks, small ones whole', async () => {
    const seen: [string, number[]][] = [];
    let joined = new Uint8Array();
    for await (const entry of stream()) {
      if (entry.content instanceof ContentStream) {
        const sizes: number[] = [];
        const parts: Uint8Array[] = [];
        for await (const chunk of entry.content) {
          sizes.push(chunk.length);
          parts.push(chunk.slice());
        }
        joined = Buffer.concat(parts);
        seen.push([entry.name, sizes]);
      } else {
        seen.push([entry.name, [entry.content?.length ?? 0]]);
      }
    }
    expect(seen.map(([name]) => name)).toEqual(['small', 'big', 'after']);
    expect(seen[0]?.[1]).toEqual([4]);
    expect(seen[2]?.[1]).toEqual([4]);
    const sizes = seen[1]?.[1] ?? [];
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CONTENT_CHUNK_BYTES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(BIG);
    expect(Buffer.from(joined).equals(Buffer.from(big))).toBe(true);
  });

  it('skips a large file left unread, and refuses to read it afterwards', async () => {
    const names: string[] = [];
    let skipped: ContentStream | undefined;
    let after = '';
    for await (const entry of stream()) {
      names.push(entry.name);
      if (entry.content instanceof ContentStream) skipped = entry.content;
      else if (entry.name === 'after') after = Buffer.from(entry.content ?? []).toString();
    }
    expect(names).toEqual(['small', 'big', 'after']);
    expect(after).toBe('next');
    const late = async () => {
      for await (const chunk of skipped ?? []) void chunk;
    };
    await expect(late()).rejects.toThrow(InternalError);
  });

  it('refuses a large file cut short, once its chunks run out', async () => {
    const cut = archive.subarray(0, 512 + 512 + 512 + 2 * CONTENT_CHUNK_BYTES);
    let delivered = 0;
    const read = async () => {
      for await (const entry of stream(cut)) {
        if (!(entry.content instanceof ContentStream)) continue;
        for await (const chunk of entry.content) delivered += chunk.length;
      }
    };
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(String(error)).toMatch(/truncated in big/);
    expect(delivered).toBeLessThan(BIG);
  });

  it('reads whole with readTarEntries, for archives held in memory', async () => {
    const entries: TarEntry[] = [];
    for await (const entry of readTarEntries(
      new ByteReader([archive]),
      { file: 't.tar' },
      limits,
    )) {
      entries.push(entry);
    }
    expect(entries[1]?.content?.length).toBe(BIG);
  });
});
