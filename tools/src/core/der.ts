/**
 * Just enough DER (ITU-T X.690) to write the signed structures the tools make, an OpenPGP DSA
 * key for node:crypto and an Authenticode signature, and to read the fields of an X.509
 * certificate they need.
 */

export const TAG = Object.freeze({
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  sequence: 0x30,
  set: 0x31,
});

/** A context-specific constructed tag, `[n]`. */
export function contextTag(number: number): number {
  return 0xa0 | number;
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One tag-length-value element around the concatenated parts. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const content = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), encodeLength(content.length), content]);
}

export function sequence(...parts: readonly Uint8Array[]): Uint8Array {
  return tlv(TAG.sequence, ...parts);
}

/** A SET OF: its elements in ascending order of their encodings, as DER requires. */
export function setOf(...elements: readonly Uint8Array[]): Uint8Array {
  return tlv(TAG.set, ...[...elements].sort((a, b) => Buffer.compare(a, b)));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.octetString, bytes);
}

export const DER_NULL = Uint8Array.of(TAG.null, 0);

/** A non-negative INTEGER from a big-endian magnitude. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const digits = magnitude.subarray(start);
  const needsPad = digits.length === 0 || ((digits[0] ?? 0) & 0x80) !== 0;
  return tlv(TAG.integer, needsPad ? Uint8Array.of(0) : new Uint8Array(0), digits);
}

export function smallInteger(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) {
    throw new RangeError(`${value} is not a small non-negative integer`);
  }
  return Uint8Array.of(TAG.integer, 1, value);
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. `1.2.840.113549.1.7.2`. */
export function objectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => Number(arc));
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) {
    throw new RangeError(`${dotted} is not an object identifier`);
  }
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift(0x80 | (value & 0x7f));
    }
    bytes.push(...groups);
  }
  return tlv(TAG.objectIdentifier, Uint8Array.from(bytes));
}

/** An AlgorithmIdentifier with NULL parameters, as RSA and the SHA-2 digests are written. */
export function algorithm(dotted: string): Uint8Array {
  return sequence(objectIdentifier(dotted), DER_NULL);
}

/** One element read back: where it starts, its tag, and its content. */
export interface DerElement {
  readonly tag: number;
  /** The whole element, tag and length included. */
  readonly encoded: Uint8Array;
  readonly content: Uint8Array;
}

export class DerFormatError extends Error {
  override name = 'DerFormatError';
}

/** The element at `offset` of `bytes`. */
export function readElement(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new DerFormatError('it ends inside a tag');
  if ((tag & 0x1f) === 0x1f) throw new DerFormatError('it uses a multi-byte tag');
  let length = first;
  let header = 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerFormatError(`it has a length of ${count} bytes`);
    length = 0;
    for (let index = 0; index < count; index++) {
      const byte = bytes[offset + 2 + index];
      if (byte === undefined) throw new DerFormatError('it ends inside a length');
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerFormatError('an element runs past the end');
  return {
    tag,
    encoded: bytes.subarray(offset, end),
    content: bytes.subarray(offset + header, end),
  };
}

/** The elements of a constructed element's content, in order. */
export function readChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length;) {
    const child = readElement(content, offset);
    children.push(child);
    offset += child.encoded.length;
  }
  return children;
}
