/**
 * Reading the three metadata parts of an RPM file: the lead, the signature header (right after
 * the lead, its end padded with zeros to a multiple of 8 bytes) and the main header. What
 * follows the main header up to the end of the file is the payload.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { codecFromRpmCompressor, detectCodec, type Codec } from '../compress/index.ts';
import type { PackageScript } from '../packages/model.ts';
import { malformedRpm, newContext, type RpmContext } from './context.ts';
import { readDependencies, type RpmDependencies } from './dependencies.ts';
import { HeaderBlob } from './header-blob.ts';
import {
  HEADER_PREAMBLE_SIZE,
  MAIN_HEADER_LIMITS,
  readPreamble,
  SIGNATURE_HEADER_LIMITS,
  type HeaderLimits,
} from './header-index.ts';
import { LEAD_SIZE, parseLead, type RpmLead } from './lead.ts';
import { readScripts } from './scripts.ts';
import { RegionTag, Tag } from './tags.ts';

/** A span of bytes in the package file. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export interface RpmPayloadInfo {
  /** PAYLOADFORMAT, `cpio` when absent. */
  readonly format: string;
  /** PAYLOADCOMPRESSOR as stored, undefined when absent. */
  readonly compressor: string | undefined;
  /** The codec used to read the payload: from the tag, or from the payload's magic when absent. */
  readonly codec: Codec;
}

/** Where the parts of the file lie. */
export interface RpmLayout {
  readonly fileSize: number;
  readonly lead: ByteRange;
  readonly signature: ByteRange;
  /** The main header, the bytes header digests and header signatures cover. */
  readonly header: ByteRange;
  /** From the end of the main header to the end of the file. */
  readonly payload: ByteRange;
}

/** The parsed metadata of one RPM file with typed accessors for the package fields. */
export class RpmHeaders {
  readonly file: string;
  readonly lead: RpmLead;
  readonly signature: HeaderBlob;
  readonly header: HeaderBlob;
  readonly layout: RpmLayout;
  readonly name: string;
  readonly epoch: number | undefined;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
  /** `name-[epoch:]version-release.arch`, as rpm's %{NEVRA} prints it. */
  readonly nevra: string;
  /** RPMFORMAT when stored (v6 packages), else 4, or 3 for a header without an immutable region. */
  readonly formatVersion: number;
  readonly payload: RpmPayloadInfo;
  /** Shared with every error about this package. */
  readonly context: RpmContext;

  constructor(parts: {
    file: string;
    lead: RpmLead;
    signature: HeaderBlob;
    header: HeaderBlob;
    layout: RpmLayout;
    payloadHead: Uint8Array;
    context: RpmContext;
  }) {
    this.file = parts.file;
    this.lead = parts.lead;
    this.signature = parts.signature;
    this.header = parts.header;
    this.layout = parts.layout;
    this.context = parts.context;
    const header = parts.header;
    const required = (tag: number, what: string): string => {
      const value = header.string(tag);
      if (value === undefined || value === '')
        throw malformedRpm(this.context, `the header has no ${what}`);
      return value;
    };
    this.name = required(Tag.NAME, 'package name');
    this.version = required(Tag.VERSION, 'version');
    this.release = required(Tag.RELEASE, 'release');
    this.arch = required(Tag.ARCH, 'architecture');
    this.epoch = header.number(Tag.EPOCH);
    const epoch = this.epoch === undefined ? '' : `${this.epoch}:`;
    this.nevra = `${this.name}-${epoch}${this.version}-${this.release}.${this.arch}`;
    this.context.package = this.nevra;
    this.formatVersion =
      header.number(Tag.RPMFORMAT) ?? (header.has(RegionTag.HEADERIMMUTABLE) ? 4 : 3);
    this.payload = payloadInfo(header, parts.payloadHead, this.context);
  }

  get summary(): string {
    return this.header.string(Tag.SUMMARY) ?? '';
  }

  get license(): string {
    return this.header.string(Tag.LICENSE) ?? '';
  }

  /** Installed size in bytes (LONGSIZE, or SIZE). */
  get installedSize(): number {
    return this.header.number(Tag.LONGSIZE) ?? this.header.number(Tag.SIZE) ?? 0;
  }

  /** A source package has no SOURCERPM tag (the rule rpm itself applies). */
  get isSource(): boolean {
    return !this.header.has(Tag.SOURCERPM);
  }

  get dependencies(): RpmDependencies {
    return readDependencies(this.header, this.context);
  }

  get scripts(): PackageScript[] {
    return readScripts(this.header, this.context);
  }
}

function payloadInfo(header: HeaderBlob, head: Uint8Array, context: RpmContext): RpmPayloadInfo {
  const format = header.string(Tag.PAYLOADFORMAT) ?? 'cpio';
  if (format !== 'cpio') throw malformedRpm(context, `unsupported payload format "${format}"`);
  const compressor = header.string(Tag.PAYLOADCOMPRESSOR);
  let codec: Codec;
  if (compressor !== undefined) {
    try {
      codec = codecFromRpmCompressor(compressor);
    } catch (cause) {
      throw malformedRpm(context, `unsupported payload compressor "${compressor}"`, cause);
    }
  } else {
    // rpm's default is gzip; packages written by other tools leave the tag out for a plain cpio.
    const detected = detectCodec(head);
    const isCpio = head.length >= 5 && new TextDecoder().decode(head.subarray(0, 5)) === '07070';
    codec = detected === 'none' && !isCpio && head.length > 0 ? 'gzip' : detected;
  }
  return { format, compressor, codec };
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

async function readHeaderAt(
  handle: FileHandle,
  offset: number,
  fileSize: number,
  limits: HeaderLimits,
  what: string,
  context: RpmContext,
): Promise<HeaderBlob> {
  const preambleBytes = await readAt(handle, offset, HEADER_PREAMBLE_SIZE);
  const preamble = readPreamble(preambleBytes, limits, what, context);
  if (offset + preamble.totalLength > fileSize) {
    throw malformedRpm(
      context,
      `truncated ${what}: it needs ${preamble.totalLength} bytes, the file ends first`,
    );
  }
  const bytes = await readAt(handle, offset, preamble.totalLength);
  return new HeaderBlob(bytes, limits, what, context);
}

/** Reads the lead, signature header and main header of an RPM file; the payload is not read. */
export async function readRpmHeaders(file: string): Promise<RpmHeaders> {
  const context = newContext(file);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw malformedRpm(context, 'cannot open the package file', cause);
  }
  try {
    const fileSize = (await handle.stat()).size;
    const lead = parseLead(await readAt(handle, 0, LEAD_SIZE), context);
    const signature = await readHeaderAt(
      handle,
      LEAD_SIZE,
      fileSize,
      SIGNATURE_HEADER_LIMITS,
      'signature header',
      context,
    );
    const headerOffset = LEAD_SIZE + Math.ceil(signature.bytes.length / 8) * 8;
    const header = await readHeaderAt(
      handle,
      headerOffset,
      fileSize,
      MAIN_HEADER_LIMITS,
      'main header',
      context,
    );
    const payloadOffset = headerOffset + header.bytes.length;
    const layout: RpmLayout = {
      fileSize,
      lead: { offset: 0, length: LEAD_SIZE },
      signature: { offset: LEAD_SIZE, length: signature.bytes.length },
      header: { offset: headerOffset, length: header.bytes.length },
      payload: { offset: payloadOffset, length: fileSize - payloadOffset },
    };
    const payloadHead = await readAt(handle, payloadOffset, 16);
    return new RpmHeaders({ file, lead, signature, header, layout, payloadHead, context });
  } finally {
    await handle.close();
  }
}
