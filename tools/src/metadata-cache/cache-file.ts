/**
 * The bytes of one cache file: a fixed header, then the parsed value as `v8.serialize` writes
 * it (the structured-clone format, which keeps shared objects shared).
 *
 * | offset | bytes | field                                         |
 * |--------|-------|-----------------------------------------------|
 * | 0      | 8     | magic `LVMETA\r\n`                            |
 * | 8      | 4     | format version, little-endian                 |
 * | 12     | 32    | SHA-256 of the key the value was parsed under |
 * | 44     | 8     | payload length, little-endian                 |
 * | 52     | 32    | SHA-256 of the payload                        |
 * | 84     | …     | payload                                       |
 */

import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';

const MAGIC = Buffer.from('LVMETA\r\n', 'latin1');
/** Bump when the layout above or the meaning of a field changes. */
export const CACHE_FORMAT_VERSION = 1;

const FORMAT_AT = 8;
const KEY_AT = 12;
const LENGTH_AT = 44;
const DIGEST_AT = 52;
const PAYLOAD_AT = 84;
const DIGEST_BYTES = 32;

/** A value read back, or why the file cannot be trusted. */
export type DecodedCacheFile =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** The digest a key is stored as: SHA-256 of its canonical text. */
export function keyDigest(key: readonly string[]): Buffer {
  return sha256(Buffer.from(JSON.stringify(key), 'utf8'));
}

/** The whole file for `value`, parsed under the key with digest `key`. */
export function encodeCacheFile(key: Buffer, value: unknown): Buffer {
  const payload = serialize(value);
  const header = Buffer.alloc(PAYLOAD_AT);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(CACHE_FORMAT_VERSION, FORMAT_AT);
  key.copy(header, KEY_AT);
  header.writeBigUInt64LE(BigInt(payload.length), LENGTH_AT);
  sha256(payload).copy(header, DIGEST_AT);
  return Buffer.concat([header, payload]);
}

/**
 * The value in `bytes` if the file is complete, undamaged, in this format and made for the key
 * with digest `key`; otherwise why not.
 */
export function decodeCacheFile(bytes: Buffer, key: Buffer): DecodedCacheFile {
  if (bytes.length < PAYLOAD_AT) return { ok: false, reason: 'it is shorter than its header' };
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { ok: false, reason: 'it is not a metadata cache file' };
  }
  const format = bytes.readUInt32LE(FORMAT_AT);
  if (format !== CACHE_FORMAT_VERSION) {
    return { ok: false, reason: `it has format ${format}, not ${CACHE_FORMAT_VERSION}` };
  }
  if (!bytes.subarray(KEY_AT, KEY_AT + DIGEST_BYTES).equals(key)) {
    return { ok: false, reason: 'it was parsed from other metadata or by another parser version' };
  }
  const declared = bytes.readBigUInt64LE(LENGTH_AT);
  const payload = bytes.subarray(PAYLOAD_AT);
  if (declared !== BigInt(payload.length)) {
    return { ok: false, reason: `it holds ${payload.length} of the ${declared} bytes it declares` };
  }
  if (!sha256(payload).equals(bytes.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES))) {
    return { ok: false, reason: 'its payload does not match its SHA-256' };
  }
  try {
    return { ok: true, value: deserialize(payload) };
  } catch (error) {
    return { ok: false, reason: `its payload cannot be read: ${String(error)}` };
  }
}
