import { crc32, inflateRawSync } from 'node:zlib';
import { PackageFormatError } from '../packages/errors.ts';
import { DEFAULT_APK_LIMITS } from './limits.ts';
import type { ApkSource } from './limits.ts';

/** The byte range of one gzip member inside a file: `[start, end)`. */
export interface GzipMember {
  readonly start: number;
  readonly end: number;
  /** Bytes the member inflates to. */
  readonly inflatedSize: number;
}

export interface InflatedGzipMember extends GzipMember {
  readonly content: Uint8Array;
}

export type GzipMemberRead =
  { readonly status: 'ok'; readonly member: InflatedGzipMember } | { readonly status: 'truncated' };

const FLAG_HEADER_CRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;

function malformedApk(source: ApkSource, message: string, cause?: unknown): PackageFormatError {
  return new PackageFormatError({ ...source, message, cause });
}

export function isGzipMagic(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0x1f && bytes[offset + 1] === 0x8b;
}

/** Offset of the deflate data after a member header, or undefined when the header is cut short. */
function skipHeader(bytes: Uint8Array, start: number, source: ApkSource): number | undefined {
  if (bytes.length - start < 10) {
    return undefined;
  }
  if (!isGzipMagic(bytes, start)) {
    throw malformedApk(source, `no gzip member at byte ${start}`);
  }
  const flags = bytes[start + 3] ?? 0;
  if (bytes[start + 2] !== 8 || (flags & FLAG_RESERVED) !== 0) {
    throw malformedApk(source, `unsupported gzip member header at byte ${start}`);
  }
  let at = start + 10;
  if ((flags & FLAG_EXTRA) !== 0) {
    if (at + 2 > bytes.length) {
      return undefined;
    }
    at += 2 + (bytes[at] ?? 0) + ((bytes[at + 1] ?? 0) << 8);
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if ((flags & flag) !== 0) {
      const nul = bytes.indexOf(0, at);
      if (nul < 0) {
        return undefined;
      }
      at = nul + 1;
    }
  }
  if ((flags & FLAG_HEADER_CRC) !== 0) {
    at += 2;
  }
  return at <= bytes.length ? at : undefined;
}

interface InflateInfo {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

function isTruncation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'Z_BUF_ERROR';
}

function isTooLarge(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

/**
 * Inflates the gzip member that starts at `start`. Reports `truncated` when `bytes` ends before
 * the member does, so that a caller reading a file piece by piece can fetch more and retry.
 */
export function readGzipMember(
  bytes: Uint8Array,
  start: number,
  source: ApkSource,
  maxBytes: number = DEFAULT_APK_LIMITS.maxMemberBytes,
): GzipMemberRead {
  const dataStart = skipHeader(bytes, start, source);
  if (dataStart === undefined) {
    return { status: 'truncated' };
  }
  let inflated: InflateInfo;
  try {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + dataStart, bytes.length - dataStart);
    inflated = inflateRawSync(view, {
      info: true,
      maxOutputLength: maxBytes,
    }) as unknown as InflateInfo;
  } catch (error) {
    if (isTruncation(error)) {
      return { status: 'truncated' };
    }
    if (isTooLarge(error)) {
      throw malformedApk(source, `gzip member at byte ${start} inflates past ${maxBytes} bytes`);
    }
    throw malformedApk(source, `corrupt gzip member at byte ${start}`, error);
  }
  const trailer = dataStart + inflated.engine.bytesWritten;
  if (trailer + 8 > bytes.length) {
    return { status: 'truncated' };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + trailer, 8);
  const content = inflated.buffer;
  if (
    view.getUint32(0, true) !== crc32(content) ||
    view.getUint32(4, true) !== content.length % 2 ** 32
  ) {
    throw malformedApk(source, `gzip member at byte ${start} fails its CRC or length check`);
  }
  const member = { start, end: trailer + 8, inflatedSize: content.length, content };
  return { status: 'ok', member };
}

/** Reads a whole member that must be complete in `bytes`. */
export function inflateGzipMember(
  bytes: Uint8Array,
  start: number,
  source: ApkSource,
  maxBytes?: number,
): InflatedGzipMember {
  const read = readGzipMember(bytes, start, source, maxBytes);
  if (read.status === 'truncated') {
    throw malformedApk(source, `gzip member at byte ${start} is truncated`);
  }
  return read.member;
}

export interface SplitGzipOptions {
  /** Names the input in errors. */
  readonly file?: string;
  readonly maxMembers?: number;
  /** Inflated bytes of one member. */
  readonly maxMemberBytes?: number;
}

/**
 * Splits concatenated gzip members into their byte ranges. A v2 .apk is signature member(s),
 * then the control member, then the data; an APKINDEX.tar.gz is signature member(s) and then the
 * index member. Each member is inflated to find where it ends and to check its CRC.
 */
export function splitGzipMembers(bytes: Uint8Array, options: SplitGzipOptions = {}): GzipMember[] {
  const source = { file: options.file ?? '(gzip data)' };
  const maxMembers = options.maxMembers ?? DEFAULT_APK_LIMITS.maxGzipMembers;
  const members: GzipMember[] = [];
  let offset = 0;
  if (bytes.length === 0) {
    throw malformedApk(source, 'empty file, expected gzip data');
  }
  while (offset < bytes.length) {
    if (members.length >= maxMembers) {
      throw malformedApk(source, `more than ${maxMembers} gzip members`);
    }
    const { start, end, inflatedSize } = inflateGzipMember(
      bytes,
      offset,
      source,
      options.maxMemberBytes,
    );
    members.push({ start, end, inflatedSize });
    offset = end;
  }
  return members;
}
