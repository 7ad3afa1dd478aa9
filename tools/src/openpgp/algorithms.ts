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

/**
 * Names of every registered public-key algorithm, those these tools implement or not: RFC 9580
 * section 9.1, and the post-quantum ones of the OpenPGP PQC draft (draft-ietf-openpgp-pqc),
 * which RHEL signs its packages with beside RSA.
 */
const ALGORITHM_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'RSA'],
  [2, 'RSA encrypt-only'],
  [3, 'RSA sign-only'],
  [16, 'Elgamal'],
  [17, 'DSA'],
  [18, 'ECDH'],
  [19, 'ECDSA'],
  [22, 'EdDSALegacy'],
  [25, 'X25519'],
  [26, 'X448'],
  [27, 'Ed25519'],
  [28, 'Ed448'],
  [30, 'ML-DSA-65+Ed25519'],
  [31, 'ML-DSA-87+Ed448'],
  [32, 'SLH-DSA-SHAKE-128s'],
  [33, 'SLH-DSA-SHAKE-128f'],
  [34, 'SLH-DSA-SHAKE-256s'],
  [35, 'ML-KEM-768+X25519'],
  [36, 'ML-KEM-1024+X448'],
]);

/**
 * Sizes of the signature fields of the post-quantum algorithms, which are fixed-length octet
 * strings (draft-ietf-openpgp-pqc): the EdDSA signature then the ML-DSA one for the composites
 * (64 + 3309 and 114 + 4627 bytes), the SLH-DSA signature alone. All of them exist only in
 * version 6 signatures.
 */
const V6_ONLY_SIGNATURE_SIZES: ReadonlyMap<number, number> = new Map([
  [30, 64 + 3309],
  [31, 114 + 4627],
  [32, 7856],
  [33, 17088],
  [34, 29792],
]);

/** The signing algorithm behind an id, or undefined for encryption-only and unknown ids. */
export function signingAlgorithm(id: number): PublicKeyAlgorithm | undefined {
  return SIGNING_ALGORITHMS.get(id);
}

/** How messages name an algorithm: `Ed448 (algorithm 28)`, `unknown public-key algorithm 99`. */
export function describeAlgorithm(id: number): string {
  const name = ALGORITHM_NAMES.get(id);
  return name === undefined ? `unknown public-key algorithm ${id}` : `${name} (algorithm ${id})`;
}

/**
 * The exact size of the signature fields of an algorithm that only version 6 signatures may use,
 * or undefined for the others.
 */
export function v6OnlySignatureSize(id: number): number | undefined {
  return V6_ONLY_SIGNATURE_SIZES.get(id);
}

export function requireSigningAlgorithm(id: number): PublicKeyAlgorithm {
  const algorithm = SIGNING_ALGORITHMS.get(id);
  if (algorithm === undefined) {
    throw unsupported(
      `${describeAlgorithm(id)} is not a signature algorithm these tools can check`,
    );
  }
  return algorithm;
}

export interface HashSpec {
  /** The registry's name, for messages. */
  readonly label: string;
  /** The node:crypto name, or undefined when these tools do not verify with this hash. */
  readonly name: HashAlgorithm | undefined;
  /**
   * Salt length of a version 6 signature using this hash (RFC 9580 section 9.5), or undefined
   * when version 6 signatures may not use it.
   */
  readonly v6SaltLength: number | undefined;
}

export type SupportedHash = HashSpec & { readonly name: HashAlgorithm };

/**
 * Hash algorithm ids (RFC 9580 section 9.5). SHA-3 and RIPEMD-160 are listed so that the
 * layout of a signature using them can still be checked; they cannot verify.
 */
const HASHES: ReadonlyMap<number, HashSpec> = new Map<number, HashSpec>([
  [1, { label: 'MD5', name: 'md5', v6SaltLength: undefined }],
  [2, { label: 'SHA-1', name: 'sha1', v6SaltLength: undefined }],
  [3, { label: 'RIPEMD-160', name: undefined, v6SaltLength: undefined }],
  [8, { label: 'SHA2-256', name: 'sha256', v6SaltLength: 16 }],
  [9, { label: 'SHA2-384', name: 'sha384', v6SaltLength: 24 }],
  [10, { label: 'SHA2-512', name: 'sha512', v6SaltLength: 32 }],
  [11, { label: 'SHA2-224', name: 'sha224', v6SaltLength: 16 }],
  [12, { label: 'SHA3-256', name: undefined, v6SaltLength: 16 }],
  [14, { label: 'SHA3-512', name: undefined, v6SaltLength: 32 }],
]);

/** What the registry says about a hash id, or undefined for an unassigned one. */
export function hashSpec(id: number): HashSpec | undefined {
  return HASHES.get(id);
}

export function requireHash(id: number): SupportedHash {
  const spec = HASHES.get(id);
  if (spec === undefined) {
    throw unsupported(`hash algorithm ${id} is not supported`);
  }
  const { name } = spec;
  if (name === undefined) {
    throw unsupported(`hash algorithm ${spec.label} (${id}) is not supported`);
  }
  return { ...spec, name };
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
