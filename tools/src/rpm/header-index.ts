/**
 * The header structure shared by the signature header and the main header.
 *
 * A header starts with a 16-byte preamble: magic `8e ad e8`, version `01`, four reserved bytes,
 * then the number of index entries and the length of the data store, both big-endian 32-bit.
 * Then come the index entries, 16 bytes each (tag, type, offset into the data store, count),
 * and the data store. Integers are big-endian and aligned on their size inside the data store;
 * strings are NUL-terminated; a STRING_ARRAY or I18NSTRING of count n is n strings in a row.
 *
 * Headers written by rpm 4 and later start with a region tag (63 for the main header, 62 for
 * the signature header) whose data is a 16-byte trailer, an index entry whose negated offset
 * gives the size of the index the region covers. Entries outside the region are possible in
 * installed-package databases only; in a package file they would escape the header digests and
 * signatures, so they are refused here.
 */

import { malformedRpm, type RpmContext } from './context.ts';
import { RegionTag, RpmTagType } from './tags.ts';

/** The magic, version and reserved bytes that start every header. */
export const HEADER_MAGIC: Uint8Array = Uint8Array.of(0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0);

export const HEADER_PREAMBLE_SIZE = 16;
const INDEX_ENTRY_SIZE = 16;

export interface HeaderLimits {
  readonly maxEntries: number;
  readonly maxData: number;
  /**
   * Whether entries outside the immutable region are refused. They are in the main header,
   * where digests and signatures would not cover them. rpmsign appends to the signature header
   * (IMA signatures, for one), which no digest covers anyway, so they are accepted there.
   */
  readonly wholeRegion: boolean;
}

/**
 * Bounds taken from rpm itself: a main header has at most 0xffff index entries and a data store
 * under 256 MiB (rpm's HEADER_TAGS_MAX and HEADER_DATA_MAX).
 */
export const MAIN_HEADER_LIMITS: HeaderLimits = {
  maxEntries: 0xffff,
  maxData: 0x0fffffff,
  wholeRegion: true,
};

/**
 * The signature header holds a few digests and signatures, plus per-file IMA or fsverity
 * signatures: rpm allows 64 MiB of data there. rpm caps its index at 32 entries; 256 leaves room
 * for tags rpm may add without accepting absurd indexes.
 */
export const SIGNATURE_HEADER_LIMITS: HeaderLimits = {
  maxEntries: 256,
  maxData: 64 * 1024 * 1024,
  wholeRegion: false,
};

export interface HeaderEntry {
  readonly tag: number;
  readonly type: number;
  /** Offset into the data store. */
  readonly offset: number;
  readonly count: number;
  /** Bytes the value occupies in the data store. */
  readonly size: number;
}

export interface HeaderPreamble {
  readonly entryCount: number;
  readonly dataLength: number;
  /** Preamble + index + data. */
  readonly totalLength: number;
}

/** Reads and bounds the 16-byte preamble of a header. */
export function readPreamble(
  bytes: Uint8Array,
  limits: HeaderLimits,
  what: string,
  context: RpmContext,
): HeaderPreamble {
  if (bytes.length < HEADER_PREAMBLE_SIZE) {
    throw malformedRpm(context, `truncated ${what}: the file ends inside its preamble`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== HEADER_MAGIC[i]) {
      throw malformedRpm(context, `${what} does not start with the header magic 8e ad e8 01`);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_PREAMBLE_SIZE);
  const entryCount = view.getUint32(8);
  const dataLength = view.getUint32(12);
  if (entryCount < 1 || entryCount > limits.maxEntries) {
    throw malformedRpm(
      context,
      `${what} has ${entryCount} index entries (allowed: 1 to ${limits.maxEntries})`,
    );
  }
  if (dataLength > limits.maxData) {
    throw malformedRpm(
      context,
      `${what} has ${dataLength} bytes of data (at most ${limits.maxData} allowed)`,
    );
  }
  const totalLength = HEADER_PREAMBLE_SIZE + entryCount * INDEX_ENTRY_SIZE + dataLength;
  return { entryCount, dataLength, totalLength };
}

function alignmentOf(type: number): number {
  switch (type) {
    case RpmTagType.INT16:
      return 2;
    case RpmTagType.INT32:
      return 4;
    case RpmTagType.INT64:
      return 8;
    default:
      return 1;
  }
}

/** Size of a value in the data store; strings are measured by scanning for their NUL bytes. */
function sizeOf(data: Uint8Array, type: number, offset: number, count: number): number | undefined {
  switch (type) {
    case RpmTagType.NULL:
      return 0;
    case RpmTagType.CHAR:
    case RpmTagType.INT8:
    case RpmTagType.BIN:
      return count;
    case RpmTagType.INT16:
      return count * 2;
    case RpmTagType.INT32:
      return count * 4;
    case RpmTagType.INT64:
      return count * 8;
    case RpmTagType.STRING:
    case RpmTagType.STRING_ARRAY:
    case RpmTagType.I18NSTRING: {
      let position = offset;
      for (let n = 0; n < count; n++) {
        const end = data.indexOf(0, position);
        if (end < 0) return undefined;
        position = end + 1;
      }
      return position - offset;
    }
    default:
      return undefined;
  }
}

/**
 * Parses a whole header (`bytes` = preamble + index + data, as found in the file) into its
 * index. Every entry is checked to lie inside the data store with the alignment its type needs.
 */
export function parseHeaderIndex(
  bytes: Uint8Array,
  limits: HeaderLimits,
  what: string,
  context: RpmContext,
): Map<number, HeaderEntry> {
  const preamble = readPreamble(bytes, limits, what, context);
  if (bytes.length !== preamble.totalLength) {
    throw malformedRpm(context, `truncated ${what}: ${preamble.totalLength} bytes expected`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dataStart = HEADER_PREAMBLE_SIZE + preamble.entryCount * INDEX_ENTRY_SIZE;
  const data = bytes.subarray(dataStart);
  const entries = new Map<number, HeaderEntry>();
  let covered = 0;
  for (let i = 0; i < preamble.entryCount; i++) {
    const at = HEADER_PREAMBLE_SIZE + i * INDEX_ENTRY_SIZE;
    const tag = view.getUint32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getUint32(at + 8);
    const count = view.getUint32(at + 12);
    const bad = (message: string) => malformedRpm(context, `${what}, tag ${tag}: ${message}`);
    if (type > RpmTagType.I18NSTRING) throw bad(`unknown data type ${type}`);
    if (count < 1) throw bad('empty value');
    if (offset >= preamble.dataLength && type !== RpmTagType.NULL) {
      throw bad(`data offset ${offset} outside the data store`);
    }
    if (offset % alignmentOf(type) !== 0) throw bad(`misaligned ${alignmentOf(type)}-byte value`);
    if (type === RpmTagType.STRING && count !== 1) throw bad(`STRING with count ${count}`);
    const size = sizeOf(data, type, offset, count);
    if (size === undefined || offset + size > preamble.dataLength) {
      throw bad('value runs past the end of the data store');
    }
    if (entries.has(tag)) throw bad('tag appears twice');
    // Values never share bytes, so their sizes add up to at most the data store. This also
    // bounds the work spent scanning strings to twice the data store.
    covered += size;
    if (covered > preamble.dataLength) throw bad('values overlap in the data store');
    entries.set(tag, { tag, type, offset, count, size });
  }
  checkRegion(view, dataStart, preamble, entries, limits.wholeRegion, what, context);
  return entries;
}

/** The first entry, when it is a region tag, must describe a well-formed region. */
function checkRegion(
  view: DataView,
  dataStart: number,
  preamble: HeaderPreamble,
  entries: ReadonlyMap<number, HeaderEntry>,
  wholeRegion: boolean,
  what: string,
  context: RpmContext,
): void {
  const firstTag = view.getUint32(HEADER_PREAMBLE_SIZE);
  const isRegion =
    firstTag === RegionTag.HEADERIMAGE ||
    firstTag === RegionTag.HEADERSIGNATURES ||
    firstTag === RegionTag.HEADERIMMUTABLE;
  if (!isRegion) return;
  const region = entries.get(firstTag);
  if (region === undefined || region.type !== RpmTagType.BIN || region.count !== 16) {
    throw malformedRpm(context, `${what}: malformed region tag ${firstTag}`);
  }
  const trailer = dataStart + region.offset;
  const trailerTag = view.getUint32(trailer);
  const trailerOffset = view.getInt32(trailer + 8);
  const regionEntries = -trailerOffset / INDEX_ENTRY_SIZE;
  if (
    trailerTag < RegionTag.HEADERIMAGE ||
    trailerTag > RegionTag.HEADERIMMUTABLE ||
    !Number.isInteger(regionEntries) ||
    regionEntries < 1 ||
    regionEntries > preamble.entryCount
  ) {
    throw malformedRpm(context, `${what}: malformed region trailer`);
  }
  if (wholeRegion && regionEntries !== preamble.entryCount) {
    throw malformedRpm(
      context,
      `${what}: ${preamble.entryCount - regionEntries} index entries lie outside the immutable region`,
    );
  }
}
