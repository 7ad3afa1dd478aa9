/** Directory records (ECMA-119 9.1), as laid out in a directory's extent. */

/** File flags of a directory record. */
export const FLAG_DIRECTORY = 0x02;
export const FLAG_ASSOCIATED = 0x04;
/** Set on every record of a multi-extent file but its last. */
export const FLAG_NOT_FINAL = 0x80;

/** The smallest record: 33 fixed bytes and a one-byte name. */
export const MIN_RECORD_LENGTH = 34;

export interface RawRecord {
  readonly length: number;
  readonly extentBlock: number;
  readonly extAttrBlocks: number;
  readonly dataLength: number;
  readonly flags: number;
  readonly interleaved: boolean;
  /** The identifier bytes as written (`0x00` is `.`, `0x01` is `..`). */
  readonly identifier: Uint8Array;
  readonly systemUse: Uint8Array;
}

export function le16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

export function le32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) |
      ((bytes[offset + 1] ?? 0) << 8) |
      ((bytes[offset + 2] ?? 0) << 16) |
      ((bytes[offset + 3] ?? 0) << 24)) >>>
    0
  );
}

/**
 * Parses the record at `offset`. Returns a reason instead when the record does not fit in
 * `bytes` or contradicts itself; the caller names the image and directory.
 */
export function parseRecord(bytes: Uint8Array, offset: number): RawRecord | string {
  const length = bytes[offset] ?? 0;
  if (length < MIN_RECORD_LENGTH) {
    return `a directory record is ${length} bytes long, less than the ${MIN_RECORD_LENGTH} it needs`;
  }
  if (offset + length > bytes.length) {
    return `a ${length}-byte directory record runs past the end of its sector`;
  }
  const nameLength = bytes[offset + 32] ?? 0;
  if (nameLength === 0 || 33 + nameLength > length) {
    return `a directory record's ${nameLength}-byte name does not fit in its ${length} bytes`;
  }
  const systemUseStart = 33 + nameLength + (nameLength % 2 === 0 ? 1 : 0);
  return {
    length,
    extAttrBlocks: bytes[offset + 1] ?? 0,
    extentBlock: le32(bytes, offset + 2),
    dataLength: le32(bytes, offset + 10),
    flags: bytes[offset + 25] ?? 0,
    interleaved: (bytes[offset + 26] ?? 0) !== 0 || (bytes[offset + 27] ?? 0) !== 0,
    identifier: bytes.subarray(offset + 33, offset + 33 + nameLength),
    systemUse: bytes.subarray(offset + Math.min(systemUseStart, length), offset + length),
  };
}

/** True for the `.` and `..` records that open every directory. */
export function isSelfOrParent(record: RawRecord): boolean {
  return record.identifier.length === 1 && (record.identifier[0] ?? 0) <= 1;
}
