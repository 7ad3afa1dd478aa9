import { ByteReader, toHex } from './bytes.ts';
import { malformed, unsupported } from './errors.ts';

/** Signature subpacket types (RFC 9580 section 5.2.3.7) the verifier reads. */
export const SubpacketType = {
  creationTime: 2,
  issuerKeyId: 16,
  keyFlags: 27,
  embeddedSignature: 32,
  issuerFingerprint: 33,
} as const;

/**
 * Subpacket types whose meaning is understood well enough that a critical one may be accepted.
 * A critical subpacket of any other type makes the signature invalid (RFC 9580 section 5.2.3.7).
 */
const UNDERSTOOD: ReadonlySet<number> = new Set([
  2, 3, 4, 5, 6, 7, 9, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 39,
]);

export interface Subpacket {
  readonly type: number;
  readonly critical: boolean;
  readonly body: Uint8Array;
}

/** Splits a subpacket area into subpackets; every length is checked against the area. */
export function readSubpackets(area: Uint8Array, hashed: boolean): Subpacket[] {
  const reader = new ByteReader(area, 'signature subpacket area');
  const subpackets: Subpacket[] = [];
  while (reader.remaining > 0) {
    const length = readSubpacketLength(reader);
    if (length === 0) {
      throw malformed('signature subpacket has length zero');
    }
    const content = reader.take(length);
    const typeByte = content[0] ?? 0;
    const subpacket = {
      type: typeByte & 0x7f,
      critical: (typeByte & 0x80) !== 0,
      body: content.subarray(1),
    };
    if (hashed && subpacket.critical && !UNDERSTOOD.has(subpacket.type)) {
      throw unsupported(`signature has a critical subpacket of unknown type ${subpacket.type}`);
    }
    subpackets.push(subpacket);
  }
  return subpackets;
}

function readSubpacketLength(reader: ByteReader): number {
  const first = reader.u8();
  if (first < 192) {
    return first;
  }
  if (first < 255) {
    return ((first - 192) << 8) + reader.u8() + 192;
  }
  return reader.u32();
}

function first(subpackets: readonly Subpacket[], type: number): Subpacket | undefined {
  return subpackets.find((subpacket) => subpacket.type === type);
}

export function creationTime(hashed: readonly Subpacket[]): number {
  const subpacket = first(hashed, SubpacketType.creationTime);
  if (subpacket === undefined) {
    throw malformed('signature has no creation time in its hashed subpackets');
  }
  return fixedU32(subpacket, 'creation time');
}

/** The issuer key id, preferring the hashed area; the unhashed one is a lookup hint only. */
export function issuerKeyId(
  hashed: readonly Subpacket[],
  unhashed: readonly Subpacket[],
): string | undefined {
  const subpacket =
    first(hashed, SubpacketType.issuerKeyId) ?? first(unhashed, SubpacketType.issuerKeyId);
  if (subpacket === undefined) {
    return undefined;
  }
  if (subpacket.body.length !== 8) {
    throw malformed(`issuer key id subpacket has ${subpacket.body.length} bytes instead of 8`);
  }
  return toHex(subpacket.body);
}

/** The issuer fingerprint: a key version byte, then 20 (v4) or 32 (v6) fingerprint bytes. */
export function issuerFingerprint(
  hashed: readonly Subpacket[],
  unhashed: readonly Subpacket[],
): string | undefined {
  const subpacket =
    first(hashed, SubpacketType.issuerFingerprint) ??
    first(unhashed, SubpacketType.issuerFingerprint);
  if (subpacket === undefined) {
    return undefined;
  }
  const version = subpacket.body[0];
  const expected = version === 4 ? 20 : version === 6 ? 32 : undefined;
  if (expected === undefined) {
    // A fingerprint of a key version this reader does not know: not an error, just no hint.
    return undefined;
  }
  if (subpacket.body.length !== expected + 1) {
    throw malformed(`issuer fingerprint subpacket for a v${version} key has the wrong length`);
  }
  return toHex(subpacket.body.subarray(1));
}

/** Key usage flags of a binding signature (first byte only), or undefined when absent. */
export function keyFlags(hashed: readonly Subpacket[]): number | undefined {
  const subpacket = first(hashed, SubpacketType.keyFlags);
  return subpacket === undefined ? undefined : (subpacket.body[0] ?? 0);
}

export function embeddedSignatures(
  hashed: readonly Subpacket[],
  unhashed: readonly Subpacket[],
): Uint8Array[] {
  return [...hashed, ...unhashed]
    .filter((subpacket) => subpacket.type === SubpacketType.embeddedSignature)
    .map((subpacket) => subpacket.body);
}

function fixedU32(subpacket: Subpacket, what: string): number {
  if (subpacket.body.length !== 4) {
    throw malformed(`${what} subpacket has ${subpacket.body.length} bytes instead of 4`);
  }
  return new ByteReader(subpacket.body, what).u32();
}
