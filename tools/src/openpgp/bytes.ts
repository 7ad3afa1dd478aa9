import { malformed } from './errors.ts';

/**
 * A cursor over untrusted bytes. Every read is checked against what is left, so a hostile length
 * field can never make the parsers read past the end or allocate more than the input holds.
 * Reads return views into the input, not copies.
 */
export class ByteReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** What is being read, for error messages ("signature packet", "subpacket area"). */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(count: number): void {
    if (!Number.isSafeInteger(count) || count < 0 || count > this.remaining) {
      throw malformed(
        `${this.what} is truncated (needs ${count} more bytes, has ${this.remaining})`,
      );
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] ?? 0;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    // Multiplication keeps the result unsigned where `<< 24` would go negative.
    return this.u8() * 0x1000000 + ((this.u8() << 16) | (this.u8() << 8) | this.u8());
  }

  take(count: number): Uint8Array {
    this.need(count);
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  /** Everything not yet read. */
  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  /** Fails unless every byte has been read: trailing garbage is a sign of a confused parser. */
  end(): void {
    if (this.remaining !== 0) {
      throw malformed(`${this.what} has ${this.remaining} unexpected trailing bytes`);
    }
  }
}

/** The largest multiprecision integer accepted: enough for 16384-bit RSA. */
export const MAX_MPI_BITS = 16384;

/**
 * Reads an OpenPGP multiprecision integer: a 2-byte big-endian bit count, then the magnitude in
 * as few bytes as hold that many bits. Returns the magnitude without leading zero bytes.
 */
export function readMpi(reader: ByteReader): Uint8Array {
  const bits = reader.u16();
  if (bits > MAX_MPI_BITS) {
    throw malformed(`a number of ${bits} bits is larger than the ${MAX_MPI_BITS} accepted`);
  }
  return stripLeadingZeros(reader.take((bits + 7) >> 3));
}

export function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) {
    start++;
  }
  return bytes.subarray(start);
}

/** Left-pads a big-endian magnitude to `width` bytes; undefined when it does not fit. */
export function padStart(bytes: Uint8Array, width: number): Uint8Array | undefined {
  const magnitude = stripLeadingZeros(bytes);
  if (magnitude.length > width) {
    return undefined;
  }
  const out = new Uint8Array(width);
  out.set(magnitude, width - magnitude.length);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('hex')
    .toUpperCase();
}

export function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function u16Bytes(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u32Bytes(value: number): Uint8Array {
  return Uint8Array.of(
    (value >>> 24) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  );
}
