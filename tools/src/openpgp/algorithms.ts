import type { HashAlgorithm, PublicKeyAlgorithm } from './api.ts';
import { unsupported } from './errors.ts';

/** Public-key algorithm ids (RFC 9580 section 9.1) of the algorithms that can sign. */
const SIGNING_ALGORITHMS: ReadonlyMap<number, PublicKeyAlgorithm> = new Map([
  [1, 'rsa'], // RSA encrypt or sign
  [2, 'rsa'], // RSA encrypt-only (deprecated, but some old keys carry it)
  [3, 'rsa'], // RSA sign-only (deprecated)
  [17, 'dsa'],
  [19, 'ecdsa'],
  [22, 'eddsa'], // EdDSALegacy: Ed25519 in the pre-RFC 9580 encoding
  [27, 'ed25519'],
  [28, 'ed448'],
]);

/** The signing algorithm behind an id, or undefined for encryption-only and unknown ids. */
export function signingAlgorithm(id: number): PublicKeyAlgorithm | undefined {
  return SIGNING_ALGORITHMS.get(id);
}

export function requireSigningAlgorithm(id: number): PublicKeyAlgorithm {
  const algorithm = SIGNING_ALGORITHMS.get(id);
  if (algorithm === undefined) {
    throw unsupported(`public-key algorithm ${id} is not a supported signing algorithm`);
  }
  return algorithm;
}

export interface HashSpec {
  readonly name: HashAlgorithm;
  /** Salt length of a version 6 signature using this hash (RFC 9580 section 9.5). */
  readonly v6SaltLength: number | undefined;
}

/** Hash algorithm ids (RFC 9580 section 9.5); the names are also node:crypto's names. */
const HASHES: ReadonlyMap<number, HashSpec> = new Map<number, HashSpec>([
  [1, { name: 'md5', v6SaltLength: undefined }],
  [2, { name: 'sha1', v6SaltLength: undefined }],
  [8, { name: 'sha256', v6SaltLength: 16 }],
  [9, { name: 'sha384', v6SaltLength: 24 }],
  [10, { name: 'sha512', v6SaltLength: 32 }],
  [11, { name: 'sha224', v6SaltLength: 16 }],
]);

export function requireHash(id: number): HashSpec {
  const spec = HASHES.get(id);
  if (spec === undefined) {
    throw unsupported(`hash algorithm ${id} is not supported`);
  }
  return spec;
}

export type CurveName = 'P-256' | 'P-384' | 'P-521' | 'Ed25519';

export interface Curve {
  readonly name: CurveName;
  /** Bytes in one coordinate (and in each of r and s of a signature). */
  readonly size: number;
}

/** Curve OIDs as they appear in key packets: the DER contents, without tag and length. */
const CURVES: ReadonlyMap<string, Curve> = new Map<string, Curve>([
  ['2a8648ce3d030107', { name: 'P-256', size: 32 }], // 1.2.840.10045.3.1.7
  ['2b81040022', { name: 'P-384', size: 48 }], // 1.3.132.0.34
  ['2b81040023', { name: 'P-521', size: 66 }], // 1.3.132.0.35
  ['2b06010401da470f01', { name: 'Ed25519', size: 32 }], // 1.3.6.1.4.1.11591.15.1
]);

export function curveByOid(oid: Uint8Array): Curve {
  const hex = Buffer.from(oid.buffer, oid.byteOffset, oid.byteLength).toString('hex');
  const curve = CURVES.get(hex);
  if (curve === undefined) {
    throw unsupported(`elliptic curve with OID bytes ${hex || '(empty)'} is not supported`);
  }
  return curve;
}
