/**
 * Builds small RPM files in memory for the tests of hostile and unusual input: a lead, a
 * signature header, a main header and a payload, each exactly as the tests describe them.
 *
 * Only tests and benchmarks use this module.
 */

import { createHash } from 'node:crypto';
import { RpmTagType, SigTag, Tag } from './tags.ts';

export type TagValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'i18n'; readonly value: readonly string[] }
  | { readonly type: 'null' }
  | {
      readonly type: 'char' | 'int8' | 'int16' | 'int32' | 'int64';
      readonly value: readonly number[];
    }
  | { readonly type: 'bin'; readonly value: Uint8Array };

export type TagSpec = readonly [tag: number, value: TagValue];

export const str = (value: string): TagValue => ({ type: 'string', value });
export const strs = (...value: string[]): TagValue => ({ type: 'strings', value });
export const i16 = (...value: number[]): TagValue => ({ type: 'int16', value });
export const i32 = (...value: number[]): TagValue => ({ type: 'int32', value });
export const i64 = (...value: number[]): TagValue => ({ type: 'int64', value });
export const bin = (value: Uint8Array): TagValue => ({ type: 'bin', value });

const TYPE_NUMBERS = {
  null: RpmTagType.NULL,
  char: RpmTagType.CHAR,
  int8: RpmTagType.INT8,
  i18n: RpmTagType.I18NSTRING,
  string: RpmTagType.STRING,
  strings: RpmTagType.STRING_ARRAY,
  int16: RpmTagType.INT16,
  int32: RpmTagType.INT32,
  int64: RpmTagType.INT64,
  bin: RpmTagType.BIN,
} as const;

function encode(spec: TagValue): { bytes: Uint8Array; count: number; align: number } {
  switch (spec.type) {
    case 'string':
      return { bytes: Buffer.from(`${spec.value}\0`), count: 1, align: 1 };
    case 'null':
      return { bytes: new Uint8Array(), count: 1, align: 1 };
    case 'strings':
    case 'i18n':
      return {
        bytes: Buffer.from(spec.value.map((item) => `${item}\0`).join('')),
        count: spec.value.length,
        align: 1,
      };
    case 'bin':
      return { bytes: spec.value, count: spec.value.length, align: 1 };
    default: {
      const widths = { char: 1, int8: 1, int16: 2, int32: 4, int64: 8 } as const;
      const width = widths[spec.type];
      const bytes = Buffer.alloc(width * spec.value.length);
      spec.value.forEach((value, index) => {
        if (width === 1) bytes.writeUInt8(value, index);
        else if (width === 2) bytes.writeUInt16BE(value, index * 2);
        else if (width === 4) bytes.writeUInt32BE(value, index * 4);
        else bytes.writeBigUInt64BE(BigInt(value), index * 8);
      });
      return { bytes, count: spec.value.length, align: width };
    }
  }
}

/**
 * A header with the given entries behind a region tag (`regionTag`, 0 for none). The index
 * lists the region tag first and the others in the order given.
 */
export function buildHeader(entries: readonly TagSpec[], regionTag = 63): Uint8Array {
  const data: number[] = [];
  const index: [number, number, number, number][] = [];
  for (const [tag, spec] of entries) {
    const { bytes, count, align } = encode(spec);
    while (data.length % align !== 0) data.push(0);
    index.push([tag, TYPE_NUMBERS[spec.type], data.length, count]);
    data.push(...bytes);
  }
  if (regionTag !== 0) {
    const trailer = Buffer.alloc(16);
    trailer.writeUInt32BE(regionTag, 0);
    trailer.writeUInt32BE(RpmTagType.BIN, 4);
    trailer.writeInt32BE(-(index.length + 1) * 16, 8);
    trailer.writeUInt32BE(16, 12);
    index.unshift([regionTag, RpmTagType.BIN, data.length, 16]);
    data.push(...trailer);
  }
  const out = Buffer.alloc(16 + index.length * 16 + data.length);
  out.set([0x8e, 0xad, 0xe8, 0x01], 0);
  out.writeUInt32BE(index.length, 8);
  out.writeUInt32BE(data.length, 12);
  index.forEach((fields, position) =>
    fields.forEach((value, i) => out.writeUInt32BE(value, 16 + position * 16 + i * 4)),
  );
  out.set(data, 16 + index.length * 16);
  return out;
}

export function buildLead(): Uint8Array {
  const lead = Buffer.alloc(96);
  lead.set([0xed, 0xab, 0xee, 0xdb, 3, 0], 0);
  lead.write('test', 10);
  lead.writeUInt16BE(5, 78);
  return lead;
}

/** A whole package: lead, signature header (digests of the main header added), main header, payload. */
export function buildRpm(options: {
  readonly header: readonly TagSpec[];
  readonly payload?: Uint8Array;
  readonly signature?: readonly TagSpec[];
  /** Add SHA256HEADER to the signature header (default true). */
  readonly headerDigest?: boolean;
}): Uint8Array {
  const header = buildHeader(options.header);
  const signatureEntries: TagSpec[] = [...(options.signature ?? [])];
  if (options.headerDigest ?? true) {
    signatureEntries.unshift([
      SigTag.SHA256,
      str(createHash('sha256').update(header).digest('hex')),
    ]);
  }
  const signature = buildHeader(signatureEntries, 62);
  const padding = new Uint8Array((8 - (signature.length % 8)) % 8);
  return Buffer.concat([
    buildLead(),
    signature,
    padding,
    header,
    options.payload ?? new Uint8Array(),
  ]);
}

/** Main header tags of package `test-1.0-1.noarch` with the given files (header order); `extra` tags replace or add. */
export function packageTags(files: readonly TestFile[], extra: readonly TagSpec[] = []): TagSpec[] {
  const dirs = [
    ...new Set(files.map((file) => file.path.slice(0, file.path.lastIndexOf('/') + 1))),
  ];
  const tags: TagSpec[] = [
    [Tag.NAME, str('test')],
    [Tag.VERSION, str('1.0')],
    [Tag.RELEASE, str('1')],
    [Tag.ARCH, str('noarch')],
    [Tag.SOURCERPM, str('test-1.0-1.src.rpm')],
    [Tag.PAYLOADCOMPRESSOR, str('identity')],
  ];
  if (files.length > 0) {
    tags.push(
      [Tag.FILESIZES, i32(...files.map((file) => file.size ?? file.content?.length ?? 0))],
      [Tag.FILEMODES, i16(...files.map((file) => file.mode ?? 0o100644))],
      [Tag.FILEMTIMES, i32(...files.map(() => 1700000000))],
      [
        Tag.FILEDIGESTS,
        strs(
          ...files.map(
            (file) => file.digest ?? (file.content === undefined ? '' : sha256(file.content)),
          ),
        ),
      ],
      [Tag.FILELINKTOS, strs(...files.map((file) => file.linkTo ?? ''))],
      [Tag.FILEFLAGS, i32(...files.map((file) => file.flags ?? 0))],
      [Tag.FILEUSERNAME, strs(...files.map(() => 'root'))],
      [Tag.FILEGROUPNAME, strs(...files.map(() => 'root'))],
      [Tag.FILEDEVICES, i32(...files.map(() => 1))],
      [Tag.FILEINODES, i32(...files.map((file, index) => file.inode ?? index + 1))],
      [
        Tag.DIRINDEXES,
        i32(
          ...files.map((file) => dirs.indexOf(file.path.slice(0, file.path.lastIndexOf('/') + 1))),
        ),
      ],
      [
        Tag.BASENAMES,
        strs(...files.map((file) => file.path.slice(file.path.lastIndexOf('/') + 1))),
      ],
      [Tag.DIRNAMES, strs(...dirs)],
      [Tag.FILEDIGESTALGO, i32(8)],
    );
  }
  const overridden = new Set(extra.map(([tag]) => tag));
  return [...tags.filter(([tag]) => !overridden.has(tag)), ...extra];
}

export interface TestFile {
  readonly path: string;
  readonly mode?: number;
  readonly content?: Uint8Array;
  readonly size?: number;
  readonly digest?: string;
  readonly linkTo?: string;
  readonly flags?: number;
  readonly inode?: number;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const pad4 = (length: number) => new Uint8Array((4 - (length % 4)) % 4);

/** A newc (or crc) member; the archive offset is needed for padding. */
export function newcMember(
  name: string,
  mode: number,
  data: Uint8Array,
  options: { crc?: number; magic?: string } = {},
): Uint8Array {
  const hex = (value: number) => value.toString(16).padStart(8, '0');
  const fields = [
    1,
    mode,
    0,
    0,
    1,
    1700000000,
    data.length,
    0,
    0,
    0,
    0,
    name.length + 1,
    options.crc ?? 0,
  ];
  const head = Buffer.from(
    `${options.magic ?? (options.crc === undefined ? '070701' : '070702')}${fields.map(hex).join('')}${name}\0`,
  );
  return Buffer.concat([head, pad4(head.length), data, pad4(data.length)]);
}

export function strippedMember(index: number, data: Uint8Array): Uint8Array {
  const head = Buffer.from(`07070X${index.toString(16).padStart(8, '0')}`);
  return Buffer.concat([head, pad4(head.length), data, pad4(data.length)]);
}

export function cpioArchive(...members: Uint8Array[]): Uint8Array {
  return Buffer.concat([...members, newcMember('TRAILER!!!', 0, new Uint8Array())]);
}

/** Lead, a signature header, padding, a main header given as bytes, and a payload. */
export function assembleRpm(
  signature: Uint8Array,
  header: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  const padding = new Uint8Array((8 - (signature.length % 8)) % 8);
  return Buffer.concat([buildLead(), signature, padding, header, payload]);
}
