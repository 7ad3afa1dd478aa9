/**
 * The OpenPGP operations the package backends need: read public keys, read a signature, and
 * verify a detached signature over data with a keyring. RPM header signatures and repomd.xml.asc
 * are both detached signatures in this sense.
 */

export type PublicKeyAlgorithm = 'rsa' | 'dsa' | 'ecdsa' | 'eddsa' | 'ed25519' | 'ed448';
export type HashAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface PublicKey {
  /** Uppercase hex: 40 digits for v4, 64 for v6. */
  readonly fingerprint: string;
  /** Uppercase hex, 16 digits. */
  readonly keyId: string;
  readonly version: 4 | 6 | 3;
  readonly algorithm: PublicKeyAlgorithm;
  /** Seconds since the epoch. */
  readonly created: number;
  readonly userIds: readonly string[];
  /** Signing-capable subkeys; empty for a bare primary key. */
  readonly subkeys: readonly PublicKey[];
}

export interface Keyring {
  readonly keys: readonly PublicKey[];
  /** Finds a primary key or subkey by 16-digit key id (case-insensitive). */
  findByKeyId(keyId: string): PublicKey | undefined;
  findByFingerprint(fingerprint: string): PublicKey | undefined;
}

export interface SignatureInfo {
  readonly version: 3 | 4 | 6;
  /** Signature type: 0x00 binary document, 0x01 canonical text, ... */
  readonly type: number;
  readonly hashAlgorithm: HashAlgorithm;
  readonly publicKeyAlgorithm: PublicKeyAlgorithm;
  readonly created: number;
  readonly issuerKeyId?: string;
  readonly issuerFingerprint?: string;
}

/**
 * What a signature says about itself, whether or not these tools can verify it: a signature by
 * an algorithm they do not implement (the post-quantum ones, say) is still described, so that
 * callers can name it and decide whether another signature can stand in for it.
 */
export interface SignatureDescription {
  readonly version: 3 | 4 | 6;
  readonly type: number;
  /** Seconds since the epoch. */
  readonly created: number;
  readonly publicKeyAlgorithmId: number;
  readonly hashAlgorithmId: number;
  /** The public-key algorithm for messages: `RSA (algorithm 1)`, `ML-DSA-87+Ed448 (algorithm 31)`. */
  readonly algorithm: string;
  readonly issuerKeyId?: string;
  readonly issuerFingerprint?: string;
  /** Set when these tools can verify the signature: what {@link SignatureInfo} holds. */
  readonly info?: SignatureInfo;
  /** Set when they cannot: why. */
  readonly unsupported?: string;
}

export interface VerifiedSignature {
  readonly signature: SignatureInfo;
  /** The key (primary or subkey) that made the signature. */
  readonly key: PublicKey;
  /** The primary key it belongs to (same as `key` when the primary signed). */
  readonly primary: PublicKey;
}

export type SignatureFailure = 'malformed' | 'no-key' | 'bad-signature' | 'unsupported';
