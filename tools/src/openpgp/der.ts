import { stripLeadingZeros } from './bytes.ts';

/**
 * Just enough DER to describe a DSA public key as a SubjectPublicKeyInfo, which is the only form
 * in which node:crypto accepts DSA keys (it has no JWK for them).
 */

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) {
    return Uint8Array.of(length);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest & 0xff);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const content = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), encodeLength(content.length), content]);
}

/** A non-negative INTEGER from a big-endian magnitude. */
function integer(magnitude: Uint8Array): Uint8Array {
  const digits = stripLeadingZeros(magnitude);
  const needsPad = digits.length === 0 || ((digits[0] ?? 0) & 0x80) !== 0;
  return tlv(0x02, needsPad ? Uint8Array.of(0) : new Uint8Array(0), digits);
}

/** id-dsa, 1.2.840.10040.4.1 */
const DSA_OID = Uint8Array.of(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01);

export function dsaSubjectPublicKeyInfo(
  p: Uint8Array,
  q: Uint8Array,
  g: Uint8Array,
  y: Uint8Array,
): Uint8Array {
  const algorithm = tlv(0x30, DSA_OID, tlv(0x30, integer(p), integer(q), integer(g)));
  const publicKey = tlv(0x03, Uint8Array.of(0), integer(y));
  return tlv(0x30, algorithm, publicKey);
}
