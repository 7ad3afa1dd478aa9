import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { PublicKeyAlgorithm } from './api.ts';
import { signingAlgorithm, curveByOid } from './algorithms.ts';
import { base64Url, readMpi } from './bytes.ts';
import type { ByteReader } from './bytes.ts';
import { dsaSubjectPublicKeyInfo } from './der.ts';
import { malformed, unsupported } from './errors.ts';

/** A public key in the form node:crypto verifies with, plus what the verifier must know. */
export interface VerifierKey {
  readonly algorithm: PublicKeyAlgorithm;
  readonly keyObject: KeyObject;
  /**
   * Width in bytes that signature values are padded to: the RSA modulus, the DSA subgroup order
   * q, the ECDSA field size, or the EdDSA scalar size.
   */
  readonly width: number;
}

const MIN_RSA_BYTES = 128;

/**
 * Reads the algorithm-specific public key fields of a key packet (RFC 9580 section 5.5.5).
 * Returns undefined for algorithms that cannot sign (ElGamal, ECDH, X25519, X448): such keys are
 * still valid in a key file, they just never verify anything.
 */
export function readKeyMaterial(reader: ByteReader, algorithmId: number): VerifierKey | undefined {
  const algorithm = signingAlgorithm(algorithmId);
  switch (algorithm) {
    case undefined:
      return undefined;
    case 'rsa':
      return rsaKey(reader);
    case 'dsa':
      return dsaKey(reader);
    case 'ecdsa':
      return ecdsaKey(reader);
    case 'eddsa':
      return legacyEd25519Key(reader);
    case 'ed25519':
      return okpKey('ed25519', 'Ed25519', reader.take(32));
    case 'ed448':
      return okpKey('ed448', 'Ed448', reader.take(57));
  }
}

function fromJwk(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

function rsaKey(reader: ByteReader): VerifierKey {
  const n = readMpi(reader);
  const e = readMpi(reader);
  if (n.length < MIN_RSA_BYTES) {
    throw unsupported(`RSA keys of ${n.length * 8} bits are too weak to trust`);
  }
  if (e.length === 0 || e.length > 8) {
    throw malformed(`RSA public exponent of ${e.length} bytes is not valid`);
  }
  return {
    algorithm: 'rsa',
    keyObject: fromJwk({ kty: 'RSA', n: base64Url(n), e: base64Url(e) }),
    width: n.length,
  };
}

function dsaKey(reader: ByteReader): VerifierKey {
  const p = readMpi(reader);
  const q = readMpi(reader);
  const g = readMpi(reader);
  const y = readMpi(reader);
  if (q.length === 0 || p.length === 0) {
    throw malformed('DSA key has an empty parameter');
  }
  const der = Buffer.from(dsaSubjectPublicKeyInfo(p, q, g, y));
  return {
    algorithm: 'dsa',
    keyObject: createPublicKey({ key: der, format: 'der', type: 'spki' }),
    width: q.length,
  };
}

function readCurveOid(reader: ByteReader): Uint8Array {
  const length = reader.u8();
  if (length === 0 || length === 0xff) {
    throw malformed(`curve OID length ${length} is reserved`);
  }
  return reader.take(length);
}

function ecdsaKey(reader: ByteReader): VerifierKey {
  const curve = curveByOid(readCurveOid(reader));
  const point = readMpi(reader);
  if (curve.name === 'Ed25519') {
    throw malformed('an ECDSA key names the Ed25519 curve');
  }
  if (point.length !== 1 + 2 * curve.size || point[0] !== 0x04) {
    throw malformed(`ECDSA ${curve.name} key is not an uncompressed curve point`);
  }
  const x = point.subarray(1, 1 + curve.size);
  const y = point.subarray(1 + curve.size);
  return {
    algorithm: 'ecdsa',
    keyObject: fromJwk({ kty: 'EC', crv: curve.name, x: base64Url(x), y: base64Url(y) }),
    width: curve.size,
  };
}

function legacyEd25519Key(reader: ByteReader): VerifierKey {
  const curve = curveByOid(readCurveOid(reader));
  const point = readMpi(reader);
  if (curve.name !== 'Ed25519') {
    throw unsupported(`EdDSA on curve ${curve.name} is not supported`);
  }
  // The point is prefixed with 0x40 to mark the native (compressed) encoding.
  if (point.length !== 33 || point[0] !== 0x40) {
    throw malformed('EdDSA Ed25519 key is not a 0x40-prefixed 32-byte point');
  }
  return okpKey('eddsa', 'Ed25519', point.subarray(1));
}

function okpKey(
  algorithm: PublicKeyAlgorithm,
  curve: 'Ed25519' | 'Ed448',
  x: Uint8Array,
): VerifierKey {
  return {
    algorithm,
    keyObject: fromJwk({ kty: 'OKP', crv: curve, x: base64Url(x) }),
    width: curve === 'Ed25519' ? 32 : 57,
  };
}
