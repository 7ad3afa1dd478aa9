import type { SignatureInfo } from './api.ts';
import { requireHash, requireSigningAlgorithm } from './algorithms.ts';
import { ByteReader, toHex, u32Bytes } from './bytes.ts';
import { malformed, unsupported } from './errors.ts';
import {
  creationTime,
  embeddedSignatures,
  issuerFingerprint,
  issuerKeyId,
  keyFlags,
  readSubpackets,
} from './subpackets.ts';

/** A parsed signature packet (RFC 9580 section 5.2) with what verification needs. */
export interface SignaturePacket {
  readonly info: SignatureInfo;
  readonly publicKeyAlgorithmId: number;
  /** v6 only: random bytes hashed before the data. Empty for v3 and v4. */
  readonly salt: Uint8Array;
  /** Bytes hashed after the signed data: the signature's own hashed fields and a trailer. */
  readonly trailer: readonly Uint8Array[];
  /** The first two bytes of the digest, for a quick check before the public-key operation. */
  readonly left16: Uint8Array;
  /** The algorithm-specific signature fields, read by the verifier. */
  readonly material: Uint8Array;
  /** Key usage flags from the hashed area (binding signatures). */
  readonly keyFlags: number | undefined;
  /** Bodies of embedded signature subpackets (the back-signature of a signing subkey). */
  readonly embedded: readonly Uint8Array[];
}

export function readSignaturePacket(body: Uint8Array): SignaturePacket {
  const reader = new ByteReader(body, 'signature packet');
  const version = reader.u8();
  switch (version) {
    case 2:
    case 3:
      return readV3(reader, body);
    case 4:
    case 6:
      return readV4OrV6(reader, body, version);
    default:
      throw unsupported(`version ${version} signatures are not supported`);
  }
}

/** Version 3: fixed fields; the type and creation time are hashed after the data. */
function readV3(reader: ByteReader, body: Uint8Array): SignaturePacket {
  if (reader.u8() !== 5) {
    throw malformed('version 3 signature must hash exactly 5 bytes');
  }
  const hashedStart = reader.position;
  const type = reader.u8();
  const created = reader.u32();
  const hashed = body.subarray(hashedStart, reader.position);
  const keyId = toHex(reader.take(8));
  const publicKeyAlgorithmId = reader.u8();
  const hash = requireHash(reader.u8());
  const left16 = reader.take(2);
  return {
    info: {
      version: 3,
      type,
      hashAlgorithm: hash.name,
      publicKeyAlgorithm: requireSigningAlgorithm(publicKeyAlgorithmId),
      created,
      issuerKeyId: keyId,
    },
    publicKeyAlgorithmId,
    salt: new Uint8Array(0),
    trailer: [hashed],
    left16,
    material: reader.rest(),
    keyFlags: undefined,
    embedded: [],
  };
}

/**
 * Versions 4 and 6: subpacket areas (2-byte lengths in v4, 4-byte in v6), and v6 adds a salt.
 * The hashed part runs from the version byte to the end of the hashed subpackets, and is
 * followed in the hash by the version, 0xFF and its length as a 4-byte number.
 */
function readV4OrV6(reader: ByteReader, body: Uint8Array, version: 4 | 6): SignaturePacket {
  const type = reader.u8();
  const publicKeyAlgorithmId = reader.u8();
  const hash = requireHash(reader.u8());
  const areaLength = () => (version === 6 ? reader.u32() : reader.u16());
  const hashedArea = reader.take(areaLength());
  const hashedPart = body.subarray(0, reader.position);
  const unhashedArea = reader.take(areaLength());
  const left16 = reader.take(2);
  let salt: Uint8Array = new Uint8Array(0);
  if (version === 6) {
    salt = reader.take(reader.u8());
    if (hash.v6SaltLength === undefined) {
      throw malformed(`version 6 signatures may not use ${hash.name}`);
    }
    if (salt.length !== hash.v6SaltLength) {
      throw malformed(`version 6 signature salt is ${salt.length} bytes, not ${hash.v6SaltLength}`);
    }
  }
  const hashed = readSubpackets(hashedArea, true);
  const unhashed = readSubpackets(unhashedArea, false);
  const fingerprint = issuerFingerprint(hashed, unhashed);
  const keyId = issuerKeyId(hashed, unhashed) ?? keyIdOfFingerprint(fingerprint);
  const info: SignatureInfo = {
    version,
    type,
    hashAlgorithm: hash.name,
    publicKeyAlgorithm: requireSigningAlgorithm(publicKeyAlgorithmId),
    created: creationTime(hashed),
    ...(keyId !== undefined ? { issuerKeyId: keyId } : {}),
    ...(fingerprint !== undefined ? { issuerFingerprint: fingerprint } : {}),
  };
  return {
    info,
    publicKeyAlgorithmId,
    salt,
    trailer: [hashedPart, Uint8Array.of(version, 0xff), u32Bytes(hashedPart.length)],
    left16,
    material: reader.rest(),
    keyFlags: keyFlags(hashed),
    embedded: embeddedSignatures(hashed, unhashed),
  };
}

/** The key id a fingerprint implies: its low 64 bits for v4 keys, its high 64 bits for v6. */
export function keyIdOfFingerprint(fingerprint: string | undefined): string | undefined {
  if (fingerprint === undefined) {
    return undefined;
  }
  return fingerprint.length === 64 ? fingerprint.slice(0, 16) : fingerprint.slice(-16);
}
