import { ByteReader } from './bytes.ts';
import { malformed } from './errors.ts';

/** The packet tags the key and signature readers care about (RFC 9580 section 5). */
export const PacketTag = {
  signature: 2,
  publicKey: 6,
  userId: 13,
  publicSubkey: 14,
} as const;

export interface Packet {
  readonly tag: number;
  readonly body: Uint8Array;
}

/** More packets than any real key file or signature holds; stops pathological inputs early. */
const MAX_PACKETS = 100_000;

/**
 * Splits binary OpenPGP data into packets. Both header formats are read: the legacy one (tag in
 * bits 5..2, length type in bits 1..0) and the current one (tag in bits 5..0, variable length).
 * Partial body lengths are refused: they are only allowed for data packets, which keys and
 * detached signatures never contain.
 */
export function readPackets(bytes: Uint8Array, what: string): Packet[] {
  const reader = new ByteReader(bytes, what);
  const packets: Packet[] = [];
  while (reader.remaining > 0) {
    if (packets.length >= MAX_PACKETS) {
      throw malformed(`${what} has more than ${MAX_PACKETS} packets`);
    }
    const header = reader.u8();
    if ((header & 0x80) === 0) {
      throw malformed(
        `${what} has an invalid packet header byte 0x${header.toString(16)} at offset ${reader.position - 1}`,
      );
    }
    if ((header & 0x40) !== 0) {
      const tag = header & 0x3f;
      packets.push({ tag, body: reader.take(readNewLength(reader, what)) });
    } else {
      const tag = (header >> 2) & 0x0f;
      packets.push({ tag, body: reader.take(readLegacyLength(reader, header & 0x03)) });
    }
  }
  if (packets.length === 0) {
    throw malformed(`${what} is empty`);
  }
  return packets;
}

function readNewLength(reader: ByteReader, what: string): number {
  const first = reader.u8();
  if (first < 192) {
    return first;
  }
  if (first < 224) {
    return ((first - 192) << 8) + reader.u8() + 192;
  }
  if (first === 255) {
    return reader.u32();
  }
  throw malformed(`${what} uses a partial body length, which is not allowed here`);
}

function readLegacyLength(reader: ByteReader, lengthType: number): number {
  switch (lengthType) {
    case 0:
      return reader.u8();
    case 1:
      return reader.u16();
    case 2:
      return reader.u32();
    default:
      // Indeterminate length: the packet runs to the end of the data.
      return reader.remaining;
  }
}
