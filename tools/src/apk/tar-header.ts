import { PackageFormatError } from '../packages/errors.ts';
import type { ApkSource } from './limits.ts';

export const TAR_BLOCK = 512;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_7 = 0x37;
/** `ustar\0` (POSIX) and `ustar ` (GNU), the first six bytes of the magic field. */
const USTAR_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00];
const GNU_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x20];

/** One 512-byte tar header as written, before pax or GNU long-name records are applied. */
export interface TarHeader {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly typeflag: string;
  readonly linkname: string;
  readonly uname: string;
  readonly gname: string;
  readonly devmajor: number;
  readonly devminor: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array, source: ApkSource, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new PackageFormatError({
      ...source,
      message: `${what} is not valid UTF-8`,
      cause: error,
    });
  }
}

function field(block: Uint8Array, offset: number, length: number): Uint8Array {
  const raw = block.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return nul < 0 ? raw : raw.subarray(0, nul);
}

function text(block: Uint8Array, offset: number, length: number, source: ApkSource): string {
  if (block[offset] === 0) {
    return '';
  }
  return decodeUtf8(field(block, offset, length), source, 'a tar header field');
}

/** An octal field, or a GNU base-256 one (first byte 0x80) for values that do not fit. */
function numeric(block: Uint8Array, offset: number, length: number, source: ApkSource): number {
  const first = block[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    if (first !== 0x80) {
      throw new PackageFormatError({
        ...source,
        message: 'negative base-256 number in tar header',
      });
    }
    let value = 0;
    for (let i = 1; i < length; i += 1) {
      value = value * 256 + (block[offset + i] ?? 0);
    }
    if (!Number.isSafeInteger(value)) {
      throw new PackageFormatError({ ...source, message: 'number in tar header is too large' });
    }
    return value;
  }
  const end = offset + length;
  let at = offset;
  while (at < end && block[at] === SPACE) {
    at += 1;
  }
  let value = 0;
  for (; at < end; at += 1) {
    const byte = block[at] ?? 0;
    if (byte < DIGIT_0 || byte > DIGIT_7) {
      break;
    }
    value = value * 8 + (byte - DIGIT_0);
  }
  for (; at < end; at += 1) {
    const byte = block[at] ?? 0;
    if (byte !== 0 && byte !== SPACE) {
      const raw = Buffer.from(block.subarray(offset, end)).toString('latin1');
      throw new PackageFormatError({
        ...source,
        message: `malformed octal number ${JSON.stringify(raw)} in tar header`,
      });
    }
  }
  return value;
}

function checksumMatches(block: Uint8Array, source: ApkSource): boolean {
  const stored = numeric(block, 148, 8, source);
  let unsigned = 0;
  for (let i = 0; i < TAR_BLOCK; i += 1) {
    unsigned += block[i] ?? 0;
  }
  let field = 0;
  for (let i = 148; i < 156; i += 1) {
    field += block[i] ?? 0;
  }
  unsigned += 8 * SPACE - field;
  if (stored === unsigned) {
    return true;
  }
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i += 1) {
    const byte = i >= 148 && i < 156 ? SPACE : (block[i] ?? 0);
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  return stored === signed;
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i += 1) {
    if (block[i] !== 0) {
      return false;
    }
  }
  return true;
}

function hasMagic(block: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => block[257 + i] === byte);
}

/** Parses a header block; ustar (with its name prefix), GNU and old v7 headers are accepted. */
export function parseTarHeader(block: Uint8Array, source: ApkSource): TarHeader {
  if (!checksumMatches(block, source)) {
    throw new PackageFormatError({ ...source, message: 'tar header checksum mismatch' });
  }
  const ustar = hasMagic(block, USTAR_MAGIC);
  const gnu = hasMagic(block, GNU_MAGIC);
  const name = text(block, 0, 100, source);
  const prefix = ustar ? text(block, 345, 155, source) : '';
  const modern = ustar || gnu;
  return {
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: numeric(block, 100, 8, source),
    uid: numeric(block, 108, 8, source),
    gid: numeric(block, 116, 8, source),
    size: numeric(block, 124, 12, source),
    mtime: numeric(block, 136, 12, source),
    typeflag: String.fromCharCode(block[156] ?? 0),
    linkname: text(block, 157, 100, source),
    uname: modern ? text(block, 265, 32, source) : '',
    gname: modern ? text(block, 297, 32, source) : '',
    devmajor: modern ? numeric(block, 329, 8, source) : 0,
    devminor: modern ? numeric(block, 337, 8, source) : 0,
  };
}

/** Bytes of padding after `size` bytes of content to reach the next block. */
export function paddingAfter(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}
