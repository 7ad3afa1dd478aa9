import { createHash } from 'node:crypto';
import type { PublicKeyAlgorithm } from './api.ts';
import { requireSigningAlgorithm, signingAlgorithm } from './algorithms.ts';
import { ByteReader, readMpi, toHex, u16Bytes, u32Bytes } from './bytes.ts';
import { malformed, unsupported } from './errors.ts';
import { readKeyMaterial } from './key-material.ts';
import type { VerifierKey } from './key-material.ts';

/** A parsed public-key or public-subkey packet (RFC 9580 section 5.5.2). */
export interface KeyPacket {
  readonly version: 3 | 4 | 6;
  readonly created: number;
  readonly algorithmId: number;
  /** The signing algorithm, or undefined when the key can only encrypt. */
  readonly algorithm: PublicKeyAlgorithm | undefined;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly material: VerifierKey | undefined;
  /**
   * How the key enters a hash when a signature is made over it (subkey bindings): a prefix byte,
   * its length, then the packet body.
   */
  readonly hashInput: readonly Uint8Array[];
}

export function readKeyPacket(body: Uint8Array): KeyPacket {
  const reader = new ByteReader(body, 'public key packet');
  const version = reader.u8();
  switch (version) {
    case 2:
    case 3:
      return readV3Key(reader, body);
    case 4:
      return readV4Key(reader, body);
    case 6:
      return readV6Key(reader, body);
    default:
      throw unsupported(`version ${version} public keys are not supported`);
  }
}

/** Version 3 keys are RSA only; the fingerprint is MD5 over the modulus and exponent. */
function readV3Key(reader: ByteReader, body: Uint8Array): KeyPacket {
  const created = reader.u32();
  reader.u16(); // validity period in days; expiry is not enforced
  const algorithmId = reader.u8();
  if (requireSigningAlgorithm(algorithmId) !== 'rsa') {
    throw malformed(`version 3 key uses algorithm ${algorithmId}; only RSA is allowed`);
  }
  const keyStart = reader.position;
  const n = readMpi(reader);
  const e = readMpi(reader);
  const material = readKeyMaterial(new ByteReader(body.subarray(keyStart), 'RSA key'), algorithmId);
  return {
    version: 3,
    created,
    algorithmId,
    algorithm: 'rsa',
    fingerprint: toHex(createHash('md5').update(n).update(e).digest()),
    keyId: toHex(n.subarray(Math.max(0, n.length - 8))).padStart(16, '0'),
    material,
    hashInput: [Uint8Array.of(0x99), lengthPrefix16(body), body],
  };
}

function readV4Key(reader: ByteReader, body: Uint8Array): KeyPacket {
  const created = reader.u32();
  const algorithmId = reader.u8();
  const material = readKeyMaterial(reader, algorithmId);
  if (material !== undefined) {
    reader.end();
  }
  const hashInput = [Uint8Array.of(0x99), lengthPrefix16(body), body];
  const fingerprint = toHex(digest('sha1', hashInput));
  return {
    version: 4,
    created,
    algorithmId,
    algorithm: signingAlgorithm(algorithmId),
    fingerprint,
    keyId: fingerprint.slice(-16),
    material,
    hashInput,
  };
}

function readV6Key(reader: ByteReader, body: Uint8Array): KeyPacket {
  const created = reader.u32();
  const algorithmId = reader.u8();
  const fields = new ByteReader(reader.take(reader.u32()), 'public key material');
  reader.end();
  const material = readKeyMaterial(fields, algorithmId);
  if (material !== undefined) {
    fields.end();
  }
  const hashInput = [Uint8Array.of(0x9b), u32Bytes(body.length), body];
  const fingerprint = toHex(digest('sha256', hashInput));
  return {
    version: 6,
    created,
    algorithmId,
    algorithm: signingAlgorithm(algorithmId),
    fingerprint,
    keyId: fingerprint.slice(0, 16),
    material,
    hashInput,
  };
}

function lengthPrefix16(body: Uint8Array): Uint8Array {
  if (body.length > 0xffff) {
    throw malformed(`public key packet of ${body.length} bytes is too long for its version`);
  }
  return u16Bytes(body.length);
}

function digest(algorithm: string, parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest();
}
