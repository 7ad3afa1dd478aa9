import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * `RSA`: PKCS#1 v1.5 over SHA-1, the `.SIGN.RSA.` files abuild writes and every apk 2 checks.
 * `RSA256`: the same over SHA-256, `.SIGN.RSA256.`, which apk-tools 2.14 accepts too.
 */
export type ApkSignatureScheme = 'RSA' | 'RSA256';

export interface ApkSigningKey {
  /** File name of the public key as apk looks it up: `acorn-fixture-1a2b3c4d.rsa.pub`. */
  readonly keyName: string;
  readonly privateKey: KeyObject;
  /** PEM SubjectPublicKeyInfo, the `.rsa.pub` file. */
  readonly publicKeyPem: string;
  readonly scheme: ApkSignatureScheme;
}

const DIGEST: Readonly<Record<ApkSignatureScheme, string>> = { RSA: 'sha1', RSA256: 'sha256' };

function fromPrivateKey(privateKey: KeyObject, scheme: ApkSignatureScheme): ApkSigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('sha256').update(der).digest('hex').slice(0, 8);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyName: `acorn-fixture-${fingerprint}.rsa.pub`, privateKey, publicKeyPem, scheme };
}

/** A fresh 2048-bit RSA key for signing one fixture repository. */
export function generateSigningKey(scheme: ApkSignatureScheme = 'RSA256'): ApkSigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return fromPrivateKey(privateKey, scheme);
}

/** A signing key from a PEM private key, to sign several builds with one key. */
export function signingKeyFromPem(
  pem: string,
  scheme: ApkSignatureScheme = 'RSA256',
): ApkSigningKey {
  return fromPrivateKey(createPrivateKey(pem), scheme);
}

export function privateKeyPem(key: ApkSigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The name of the signature file inside the first tar member: `.SIGN.RSA.<keyname>`. */
export function signatureFileName(key: ApkSigningKey): string {
  return `.SIGN.${key.scheme}.${key.keyName}`;
}

/** RSA PKCS#1 v1.5 signature of `signed` (the raw gzip member apk verifies). */
export function signBytes(key: ApkSigningKey, signed: Uint8Array): Uint8Array {
  return sign(DIGEST[key.scheme], signed, key.privateKey);
}
