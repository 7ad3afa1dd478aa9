import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_CHUNK_BYTES } from '../packages/content.ts';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { newContext } from './context.ts';
import { CpioReader } from './cpio.ts';
import { streamRpmEntries } from './stream.ts';
import { Tag } from './tags.ts';
import {
  buildRpm,
  cpioArchive,
  newcMember,
  packageTags,
  str,
  type TagSpec,
  type TestFile,
} from './test-builder.ts';
import { ScratchPackages } from './test-scratch.ts';

const scratch = new ScratchPackages();
beforeAll(() => scratch.open('leviso-rpm-stream-'));
afterAll(() => scratch.close());
const extract = scratch.extract.bind(scratch);
const failure = scratch.failure.bind(scratch);

const text = (value: string) => Buffer.from(value);
const FILE_A: TestFile = { path: '/a', content: text('hello') };

describe('streaming a newc payload', () => {
  it('yields files with their content, checked against the header digest', async () => {
    const { items } = await extract(
      [FILE_A],
      cpioArchive(newcMember('./a', 0o100644, text('hello'))),
    );
    expect(items).toEqual([['file /a', 'hello']]);
  });

  it('checks crc archives', async () => {
    const sum = [...text('hello')].reduce((total, byte) => total + byte, 0);
    const ok = await extract(
      [FILE_A],
      cpioArchive(newcMember('./a', 0o100644, text('hello'), { crc: sum })),
    );
    expect(ok.items).toHaveLength(1);
    const bad = await failure(
      [FILE_A],
      cpioArchive(newcMember('./a', 0o100644, text('hello'), { crc: sum + 1 })),
    );
    expect(bad.message).toMatch(/crc checksum/);
  });

  it('refuses content that does not match its digest, naming package and path', async () => {
    const error = await failure([FILE_A], cpioArchive(newcMember('./a', 0o100644, text('hellO'))));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(
      /test-1.0-1.noarch .*case-\d+\.rpm.*"\/a" does not match its sha256 digest/,
    );
  });

  it('detects truncation anywhere in the archive', async () => {
    const archive = cpioArchive(newcMember('./a', 0o100644, text('hello')));
    for (const cut of [3, 60, 115, 118, archive.length - 10]) {
      const error = await failure([FILE_A], archive.subarray(0, cut));
      expect(error, `cut at ${cut}`).toBeInstanceOf(PackageFormatError);
      expect(error.message).toMatch(/truncated/);
    }
  });

  it('detects a truncated compressed payload', async () => {
    const gzip = gzipSync(cpioArchive(newcMember('./a', 0o100644, text('hello'))));
    const extra: TagSpec[] = [[Tag.PAYLOADCOMPRESSOR, str('gzip')]];
    const tags = { extra };
    const whole = await extract([FILE_A], gzip, tags);
    expect(whole.items).toHaveLength(1);
    const error = await failure([FILE_A], gzip.subarray(0, gzip.length - 6), tags);
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(error.message).toMatch(/payload is corrupt or truncated/);
  });

  it('refuses members the header does not list, duplicates and missing files', async () => {
    const member = newcMember('./a', 0o100644, text('hello'));
    expect(
      (await failure([FILE_A], cpioArchive(member, newcMember('./b', 0o100644, text('x')))))
        .message,
    ).toMatch(/"\.\/b", which the header does not list/);
    expect((await failure([FILE_A], cpioArchive(member, member))).message).toMatch(
      /holds "\/a" twice/,
    );
    expect((await failure([FILE_A], cpioArchive())).message).toMatch(
      /"\/a" is missing from the payload/,
    );
  });

  it('refuses member names with ".." components and over-long names', async () => {
    const escape = await failure(
      [FILE_A],
      cpioArchive(newcMember('./../a', 0o100644, text('hello'))),
    );
    expect(escape).toBeInstanceOf(UnsafeEntryError);
    const long = await failure(
      [FILE_A],
      cpioArchive(newcMember(`./${'x'.repeat(5000)}`, 0o100644, text(''))),
    );
    expect(long.message).toMatch(/name size 5003/);
  });

  it('refuses disagreements between the payload and the header', async () => {
    expect(
      (await failure([FILE_A], cpioArchive(newcMember('./a', 0o040755, text(''))))).message,
    ).toMatch(/different file type/);
    const link: TestFile = { path: '/l', mode: 0o120777, linkTo: 'target', size: 6 };
    expect(
      (await failure([link], cpioArchive(newcMember('./l', 0o120777, text('elsewhere'))))).message,
    ).toMatch(/another target/);
    const sized: TestFile = { path: '/a', content: text('hello'), size: 4 };
    expect(
      (await failure([sized], cpioArchive(newcMember('./a', 0o100644, text('hello'))))).message,
    ).toMatch(/5 bytes in the payload, 4 in the header/);
    expect((await failure([FILE_A], text('not a cpio archive at all'))).message).toMatch(
      /not an RPM cpio archive/,
    );
  });

  it('refuses files larger than the size limit', async () => {
    const options = { stream: { maxFileSize: 4 } };
    const error = await failure(
      [FILE_A],
      cpioArchive(newcMember('./a', 0o100644, text('hello'))),
      options,
    );
    expect(error.message).toMatch(/5 bytes, more than the 4 allowed/);
  });

  it('yields ghosts at the end without content', async () => {
    const ghost: TestFile = { path: '/g', flags: 64, size: 10 };
    const { items } = await extract(
      [ghost, FILE_A],
      cpioArchive(newcMember('./a', 0o100644, text('hello'))),
    );
    expect(items).toEqual([
      ['file /a', 'hello'],
      ['file /g', undefined],
    ]);
  });
});

describe('stopping early', () => {
  it('releases the payload when the consumer stops iterating', async () => {
    const file = fixture('rpm', 'distro/dovecot-2.2.9-1.fc20.x86_64.rpm');
    const first: string[] = [];
    for await (const { entry } of streamRpmEntries(file)) {
      first.push(entry.path);
      if (first.length === 3) break;
    }
    expect(first).toHaveLength(3);
    const again: string[] = [];
    for await (const { entry } of streamRpmEntries(file)) {
      again.push(entry.path);
      if (again.length === 3) break;
    }
    expect(again).toEqual(first);
  });
});

describe('large files', () => {
  const SIZE = 3 * CONTENT_CHUNK_BYTES + 321;
  const big = Uint8Array.from({ length: SIZE }, (_, index) => (index * 11) % 241);
  const BIG: TestFile = { path: '/big', content: big };
  const gzip: TagSpec[] = [[Tag.PAYLOADCOMPRESSOR, str('gzip')]];

  /** A package with BIG and FILE_A whose payload holds `content` for /big. */
  const packageWith = (content: Uint8Array, options: { crc?: number } = {}) =>
    scratch.write(
      buildRpm({
        header: packageTags([FILE_A, BIG], gzip),
        payload: gzipSync(
          cpioArchive(
            newcMember('./a', 0o100644, text('hello')),
            newcMember('./big', 0o100644, content, options),
          ),
        ),
      }),
    );

  /** Reads every entry and its chunks: the sizes of each file's chunks by path (whole: < 0). */
  async function readChunks(file: string, chunks: Map<string, number[]>): Promise<void> {
    for await (const { entry, content } of streamRpmEntries(file)) {
      if (content === undefined) continue;
      const sizes: number[] = [];
      chunks.set(entry.path, sizes);
      if (content instanceof Uint8Array) sizes.push(-content.length);
      else for await (const chunk of content) sizes.push(chunk.length);
    }
  }

  it('hands a large file over in bounded chunks, checked against its digest', async () => {
    const chunks = new Map<string, number[]>();
    await readChunks(await packageWith(big), chunks);
    const sizes = chunks.get('/big') ?? [];
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CONTENT_CHUNK_BYTES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(SIZE);
    expect(chunks.get('/a')).toEqual([-5]);
  });

  it('fails a large file that does not match its digest after its last chunk', async () => {
    const damaged = big.slice();
    damaged[SIZE - 1] = (big[SIZE - 1] ?? 0) ^ 1;
    const chunks = new Map<string, number[]>();
    const error = await readChunks(await packageWith(damaged), chunks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toMatch(/"\/big" does not match its sha256 digest/);
    expect((chunks.get('/big') ?? []).reduce((a, b) => a + b, 0)).toBe(SIZE);
  });

  it('checks a large file that nobody reads before going on', async () => {
    const damaged = big.slice();
    damaged[0] = (big[0] ?? 0) ^ 1;
    const file = await packageWith(damaged);
    const paths: string[] = [];
    const error = await (async () => {
      for await (const { entry } of streamRpmEntries(file)) paths.push(entry.path);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(paths).toEqual(['/a', '/big']);
  });

  it('fails a large crc member whose checksum does not add up', async () => {
    const sum = big.reduce((total, byte) => (total + byte) >>> 0, 0);
    const chunks = new Map<string, number[]>();
    await readChunks(await packageWith(big, { crc: sum }), chunks);
    expect(chunks.get('/big')?.length).toBeGreaterThan(3);
    const error = await readChunks(await packageWith(big, { crc: sum + 1 }), chunks).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(String(error)).toMatch(/crc checksum/);
  });

  it('bounds the chunks of a member that arrives as one buffer', async () => {
    const archive = cpioArchive(newcMember('./big', 0o100644, big));
    const reader = new CpioReader(
      new ByteReader(
        (async function* () {
          yield archive;
        })(),
      ),
      newContext('t.rpm'),
    );
    const member = await reader.next();
    expect(member).toMatchObject({ kind: 'newc', size: SIZE });
    const sizes: number[] = [];
    for await (const chunk of reader.dataChunks(SIZE, CONTENT_CHUNK_BYTES))
      sizes.push(chunk.length);
    expect(sizes).toEqual([CONTENT_CHUNK_BYTES, CONTENT_CHUNK_BYTES, CONTENT_CHUNK_BYTES, 321]);
    expect(await reader.next()).toEqual({ kind: 'trailer' });
  });
});
