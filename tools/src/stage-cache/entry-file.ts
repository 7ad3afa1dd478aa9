/**
 * The bytes of one stage cache entry, the same for compressed squashfs blocks (written by the
 * squashfs addon, native/block_cache.cc) and for built artifacts:
 *
 * | offset | bytes | field                                                  |
 * |--------|-------|--------------------------------------------------------|
 * | 0      | 8     | magic `LVSTAGE1`                                       |
 * | 8      | 8     | payload length, little-endian                          |
 * | 16     | 32    | SHA-256 of the entry's key (32 bytes), then the payload |
 * | 48     | …     | payload                                                |
 *
 * The digest covers the key, so an entry copied or renamed under another key is refused too.
 */

import { createHash } from 'node:crypto';

const MAGIC = Buffer.from('LVSTAGE1', 'latin1');
const LENGTH_AT = 8;
const DIGEST_AT = 16;
export const ENTRY_HEADER_BYTES = 48;
const DIGEST_BYTES = 32;

function entryDigest(key: Buffer, payload: Uint8Array): Buffer {
  return createHash('sha256').update(key).update(payload).digest();
}

/** The header that goes before `payload` in the entry for `key` (a 32-byte digest). */
export function entryHeader(key: Buffer, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(ENTRY_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(payload.length), LENGTH_AT);
  entryDigest(key, payload).copy(header, DIGEST_AT);
  return header;
}

/** The payload of a complete, undamaged entry made for `key`; undefined for anything else. */
export function entryPayload(bytes: Buffer, key: Buffer): Buffer | undefined {
  if (bytes.length < ENTRY_HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return undefined;
  }
  const payload = bytes.subarray(ENTRY_HEADER_BYTES);
  if (bytes.readBigUInt64LE(LENGTH_AT) !== BigInt(payload.length)) return undefined;
  const digest = bytes.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES);
  return entryDigest(key, payload).equals(digest) ? payload : undefined;
}
