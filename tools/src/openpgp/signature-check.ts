import { createHash, createVerify, verify as verifyOneShot } from 'node:crypto';
import { ByteReader, padStart, readMpi } from './bytes.ts';
import { canonicalText } from './canonical-text.ts';
import type { VerifierKey } from './key-material.ts';
import type { KeyPacket } from './key-packet.ts';
import type { SignaturePacket } from './signature-packet.ts';

/** Signature type of a canonical text document, hashed with CR LF line endings. */
export const TEXT_SIGNATURE = 0x01;

/**
 * Checks one signature packet against one key packet over the signed data. Returns false when the
 * signature does not verify (wrong key, altered data, values out of range); throws a format error
 * when the signature fields themselves cannot be read.
 *
 * The hash covers, in order: the v6 salt, the data (CR LF-normalised for text signatures) and
 * the signature's trailer. RSA, DSA and ECDSA sign that hash directly, so node:crypto computes it
 * alongside; EdDSA signs the digest bytes as its message.
 */
export function signatureMatches(
  signature: SignaturePacket,
  keyPacket: KeyPacket,
  data: readonly Uint8Array[],
): boolean {
  const key = keyPacket.material;
  if (key === undefined || key.algorithm !== signature.info.publicKeyAlgorithm) {
    return false;
  }
  // Version 6 keys make only version 6 signatures, and only they may (RFC 9580 section 5.2.3).
  if ((signature.info.version === 6) !== (keyPacket.version === 6)) {
    return false;
  }
  const value = signatureValue(signature, key);
  if (value === undefined) {
    return false;
  }
  const hashName = signature.info.hashAlgorithm;
  const digest = createHash(hashName);
  const prehashed =
    key.algorithm === 'eddsa' || key.algorithm === 'ed25519' || key.algorithm === 'ed448';
  const verifier = prehashed ? undefined : createVerify(hashName);
  const feed = (chunk: Uint8Array): void => {
    digest.update(chunk);
    verifier?.update(chunk);
  };
  feed(signature.salt);
  const body = signature.info.type === TEXT_SIGNATURE ? canonicalText(data) : data;
  for (const chunk of body) {
    feed(chunk);
  }
  for (const chunk of signature.trailer) {
    feed(chunk);
  }
  const hash = digest.digest();
  if (hash[0] !== signature.left16[0] || hash[1] !== signature.left16[1]) {
    return false;
  }
  if (verifier === undefined) {
    return verifyOneShot(null, hash, key.keyObject, value);
  }
  if (key.algorithm === 'rsa') {
    return verifier.verify(key.keyObject, value);
  }
  return verifier.verify({ key: key.keyObject, dsaEncoding: 'ieee-p1363' }, value);
}

/**
 * The signature value in the form node:crypto takes: the RSA value padded to the modulus width,
 * or r || s with each half padded to the key's width. Undefined when a value is too wide to be
 * valid for the key.
 */
function signatureValue(signature: SignaturePacket, key: VerifierKey): Uint8Array | undefined {
  const reader = new ByteReader(signature.material, 'signature value');
  let value: Uint8Array | undefined;
  switch (key.algorithm) {
    case 'rsa':
      value = padStart(readMpi(reader), key.width);
      break;
    case 'dsa':
    case 'ecdsa':
    case 'eddsa': {
      const r = padStart(readMpi(reader), key.width);
      const s = padStart(readMpi(reader), key.width);
      value = r === undefined || s === undefined ? undefined : Buffer.concat([r, s]);
      break;
    }
    case 'ed25519':
    case 'ed448':
      value = reader.take(2 * key.width);
      break;
  }
  reader.end();
  return value;
}
