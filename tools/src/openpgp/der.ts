import { TAG, objectIdentifier, sequence, tlv, unsignedInteger } from '../core/der.ts';

/**
 * A DSA public key as a SubjectPublicKeyInfo, which is the only form in which node:crypto
 * accepts DSA keys (it has no JWK for them).
 */
export function dsaSubjectPublicKeyInfo(
  p: Uint8Array,
  q: Uint8Array,
  g: Uint8Array,
  y: Uint8Array,
): Uint8Array {
  const algorithm = sequence(
    objectIdentifier('1.2.840.10040.4.1'), // id-dsa
    sequence(unsignedInteger(p), unsignedInteger(q), unsignedInteger(g)),
  );
  const publicKey = tlv(TAG.bitString, Uint8Array.of(0), unsignedInteger(y));
  return sequence(algorithm, publicKey);
}
