import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageFormatError, UnsafeEntryError } from '../packages/errors.ts';
import { newContext } from './context.ts';
import { listRpmEntries } from './files.ts';
import { MAIN_HEADER_LIMITS, parseHeaderIndex, SIGNATURE_HEADER_LIMITS } from './header-index.ts';
import { HeaderBlob } from './header-blob.ts';
import { readRpmHeaders } from './package-headers.ts';
import { Tag } from './tags.ts';
import {
  buildHeader,
  buildLead,
  buildRpm,
  i32,
  i64,
  packageTags,
  str,
  strs,
  type TagSpec,
} from './test-builder.ts';
import { ScratchPackages } from './test-scratch.ts';

const scratch = new ScratchPackages();
beforeAll(() => scratch.open('leviso-rpm-header-'));
afterAll(() => scratch.close());
const write = scratch.write.bind(scratch);

async function refusal(bytes: Uint8Array): Promise<Error> {
  const file = await write(bytes);
  const error = await readRpmHeaders(file).then(
    () => new Error('accepted'),
    (caught: Error) => caught,
  );
  expect(error.message).toContain(file);
  return error;
}

const context = newContext('test.rpm');
const parse = (bytes: Uint8Array) =>
  parseHeaderIndex(bytes, MAIN_HEADER_LIMITS, 'main header', context);

/** Overwrites a big-endian 32-bit value in a copy. */
function patch32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(value >>> 0, offset);
  return copy;
}

describe('lead', () => {
  it('refuses files that are not RPMs or too short', async () => {
    expect(await refusal(Buffer.from('hello'))).toBeInstanceOf(PackageFormatError);
    const lead = Buffer.from(buildLead());
    lead[0] = 0;
    expect((await refusal(lead)).message).toContain('lead magic');
  });

  it('refuses unknown lead versions and signature types', async () => {
    const v2 = Buffer.from(buildLead());
    v2[4] = 2;
    expect((await refusal(v2)).message).toContain('lead version 2');
    const sigType = Buffer.from(buildLead());
    sigType.writeUInt16BE(1, 78);
    expect((await refusal(sigType)).message).toContain('signature type 1');
  });
});

describe('header structure', () => {
  const good = buildHeader([
    [Tag.NAME, str('a')],
    [Tag.FILESIZES, i32(1, 2)],
  ]);

  it('parses entries and the region', () => {
    const entries = parse(good);
    expect([...entries.keys()]).toEqual([63, Tag.NAME, Tag.FILESIZES]);
    const blob = new HeaderBlob(good, MAIN_HEADER_LIMITS, 'main header', context);
    expect(blob.string(Tag.NAME)).toBe('a');
    expect(blob.numbers(Tag.FILESIZES)).toEqual([1, 2]);
    expect(() => blob.numbers(Tag.NAME)).toThrow(PackageFormatError);
  });

  it('reads every data type', () => {
    const header = buildHeader([
      [1100, { type: 'null' }],
      [1101, { type: 'char', value: [65, 66] }],
      [1102, { type: 'int8', value: [1, 255] }],
      [1103, { type: 'int16', value: [0xffff] }],
      [1104, i32(0xffffffff)],
      [1105, i64(2 ** 40)],
      [1106, str('text')],
      [1107, { type: 'bin', value: Uint8Array.of(0, 1, 2) }],
      [1108, strs('a', '', 'c')],
      [1109, { type: 'i18n', value: ['C text', 'de Text'] }],
    ]);
    const blob = new HeaderBlob(header, MAIN_HEADER_LIMITS, 'main header', context);
    expect(blob.has(1100)).toBe(true);
    expect(blob.numbers(1101)).toEqual([65, 66]);
    expect(blob.numbers(1102)).toEqual([1, 255]);
    expect(blob.number(1103)).toBe(0xffff);
    expect(blob.number(1104)).toBe(0xffffffff);
    expect(blob.number(1105)).toBe(2 ** 40);
    expect(blob.string(1106)).toBe('text');
    expect([...(blob.binary(1107) ?? [])]).toEqual([0, 1, 2]);
    expect(blob.strings(1108)).toEqual(['a', '', 'c']);
    expect(blob.string(1109)).toBe('C text');
    expect(blob.strings(1109)).toEqual(['C text']);
    expect(() => blob.string(1108)).toThrow(/a string expected, found type 8/);
  });

  it('bounds the index count and the data size before reading them', () => {
    expect(() => parse(patch32(good, 8, 0x10000))).toThrow(/65536 index entries/);
    expect(() => parse(patch32(good, 8, 0))).toThrow(/0 index entries/);
    expect(() => parse(patch32(good, 12, 0x10000000))).toThrow(/bytes of data/);
    const sig = buildHeader([[1000, i32(1)]], 62);
    const limits = SIGNATURE_HEADER_LIMITS;
    expect(() =>
      parseHeaderIndex(patch32(sig, 8, 257), limits, 'signature header', context),
    ).toThrow(/257 index entries/);
  });

  it('refuses bad magic, truncation, unknown types and values outside the data store', () => {
    const badMagic = Buffer.from(good);
    badMagic[0] = 0;
    expect(() => parse(badMagic)).toThrow(/header magic/);
    expect(() => parse(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    // The second entry (NAME) starts at byte 32: tag, type, offset, count.
    expect(() => parse(patch32(good, 36, 10))).toThrow(/unknown data type 10/);
    expect(() => parse(patch32(good, 40, 0xffffff00))).toThrow(/outside the data store/);
    expect(() => parse(patch32(good, 44, 0))).toThrow(/empty value/);
    expect(() => parse(patch32(good, 44, 2))).toThrow(/STRING with count 2/);
    // FILESIZES (third entry, at 48) with a huge count runs past the end.
    expect(() => parse(patch32(good, 60, 0x3fffffff))).toThrow(/past the end/);
    expect(() => parse(patch32(good, 56, 2))).toThrow(/misaligned/);
  });

  it('refuses values that share bytes, which would let a small header cost much scanning', () => {
    const header = buildHeader([
      [1000, str('abc')],
      [1001, str('x')],
    ]);
    // Point the second string at the first one's bytes.
    expect(() => parse(patch32(header, 16 + 2 * 16 + 8, 0))).toThrow(/overlap/);
  });

  it('refuses a string that is not NUL-terminated inside the data store', () => {
    const header = buildHeader([[Tag.NAME, str('abc')]], 0);
    const unterminated = Buffer.from(header);
    unterminated[unterminated.length - 1] = 0x41;
    expect(() => parse(unterminated)).toThrow(/past the end/);
  });

  it('refuses duplicate tags and main-header entries outside the immutable region', () => {
    const twice = buildHeader([
      [Tag.NAME, str('a')],
      [Tag.NAME, str('b')],
    ]);
    expect(() => parse(twice)).toThrow(/appears twice/);
    // Trailer offset -32: the region claims two of the three entries.
    const dataStart = 16 + 3 * 16;
    const trailerAt = dataStart + Buffer.from(good).readUInt32BE(16 + 8);
    expect(() => parse(patch32(good, trailerAt + 8, -32))).toThrow(/outside the immutable region/);
    expect(() => parse(patch32(good, trailerAt + 8, -24))).toThrow(/region trailer/);
  });

  it('refuses 64-bit values beyond what a number holds exactly', () => {
    const header = buildHeader([[Tag.LONGSIZE, i64(2 ** 53)]]);
    const blob = new HeaderBlob(header, MAIN_HEADER_LIMITS, 'main header', context);
    expect(() => blob.number(Tag.LONGSIZE)).toThrow(/too large/);
  });
});

describe('package files', () => {
  it('reads a whole package and names it in errors', async () => {
    const file = await write(buildRpm({ header: packageTags([]) }));
    const headers = await readRpmHeaders(file);
    expect(headers.nevra).toBe('test-1.0-1.noarch');
    expect(headers.layout.payload.length).toBe(0);
  });

  it('refuses a header longer than the file without reading it', async () => {
    const bytes = buildRpm({ header: packageTags([]) });
    const error = await refusal(bytes.subarray(0, bytes.length - 10));
    expect(error.message).toMatch(/truncated main header/);
  });

  it('refuses a package without a name', async () => {
    const tags = packageTags([]).filter(([tag]) => tag !== Tag.NAME);
    expect((await refusal(buildRpm({ header: tags }))).message).toContain('no package name');
  });

  async function entriesOf(tags: readonly TagSpec[]) {
    return listRpmEntries(await readRpmHeaders(await write(buildRpm({ header: tags }))));
  }

  it('refuses ".." components and duplicate paths, naming the package', async () => {
    const escape = entriesOf(
      packageTags([{ path: '/usr/../../etc/passwd', content: Buffer.from('x') }]),
    );
    await expect(escape).rejects.toBeInstanceOf(UnsafeEntryError);
    await expect(escape).rejects.toThrow(/test-1.0-1.noarch .*"\.\." component/);
    const twice = entriesOf(
      packageTags([
        { path: '/a/b', content: Buffer.from('x') },
        { path: '/a//b', content: Buffer.from('y') },
      ]),
    );
    await expect(twice).rejects.toThrow(UnsafeEntryError);
    await expect(twice).rejects.toThrow(/"\/a\/b" twice/);
  });

  it('refuses per-file arrays of the wrong length and dangling directory indexes', async () => {
    const files = [{ path: '/a', content: Buffer.from('x') }];
    const withoutMtimes = packageTags(files).filter(([tag]) => tag !== Tag.FILEMTIMES);
    expect((await entriesOf(withoutMtimes))[0]?.mtime).toBe(0);
    const mismatch = packageTags(files).map(([tag, value]): TagSpec =>
      tag === Tag.FILEMTIMES ? [tag, i32(1, 2)] : [tag, value],
    );
    await expect(entriesOf(mismatch)).rejects.toThrow(/2 values for 1 files/);
    const dangling = packageTags(files).map(([tag, value]): TagSpec =>
      tag === Tag.DIRINDEXES ? [tag, i32(7)] : [tag, value],
    );
    await expect(entriesOf(dangling)).rejects.toThrow(/missing directory name/);
  });

  it('maps modes, flags, devices and symlinks', async () => {
    const entries = await entriesOf(
      packageTags(
        [
          { path: '/dev/null', mode: 0o20666 },
          { path: '/etc/conf', content: Buffer.from('c'), flags: 1 | 16 },
          { path: '/usr/bin/sh', mode: 0o120777, linkTo: 'bash', size: 4 },
          { path: '/usr/bin/su', mode: 0o104755, content: Buffer.from('su') },
        ],
        [[Tag.FILERDEVS, { type: 'int16', value: [0x0103, 0, 0, 0] }]],
      ),
    );
    expect(
      entries.map((entry) => [entry.path, entry.type, entry.mode.toString(8), entry.size]),
    ).toEqual([
      ['/dev/null', 'char-device', '666', 0],
      ['/etc/conf', 'file', '644', 1],
      ['/usr/bin/sh', 'symlink', '777', 0],
      ['/usr/bin/su', 'file', '4755', 2],
    ]);
    expect(entries[0]?.device).toEqual({ major: 1, minor: 3 });
    expect(entries[1]?.flags).toEqual(['config', 'noreplace']);
    expect(entries[2]?.linkTarget).toBe('bash');
  });

  it('refuses unknown file types and malformed digests', async () => {
    await expect(entriesOf(packageTags([{ path: '/x', mode: 0o170644 }]))).rejects.toThrow(
      /unknown file type/,
    );
    await expect(
      entriesOf(packageTags([{ path: '/x', content: Buffer.from('a'), digest: 'zz' }])),
    ).rejects.toThrow(/malformed sha256 digest/);
  });

  it('treats relative names (source packages) as under the root', async () => {
    const tags = packageTags([{ path: 'x.spec', content: Buffer.from('a') }]).map(
      ([tag, value]): TagSpec => (tag === Tag.DIRNAMES ? [tag, strs('')] : [tag, value]),
    );
    expect((await entriesOf(tags)).map((entry) => entry.path)).toEqual(['/x.spec']);
  });
});
