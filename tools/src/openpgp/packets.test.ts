import { describe, expect, it } from 'vitest';
import { ByteReader, readMpi } from './bytes.ts';
import { OpenPgpFormatError } from './errors.ts';
import { readPackets } from './packets.ts';
import { readSubpackets } from './subpackets.ts';

function failure(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    return err instanceof OpenPgpFormatError ? err.failure : `other: ${String(err)}`;
  }
  return 'none';
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('readPackets', () => {
  it('reads all header formats', () => {
    const headers: number[][] = [
      [0x88, 2, 0xaa, 0xbb], // legacy format, tag 2, 1-byte length
      [0x89, 0, 1, 0xcc], // legacy format, tag 2, 2-byte length
      [0xc2, 1, 0xdd], // tag 2, 1-byte length
      [0xc2, 0xff, 0, 0, 0, 1, 0xee], // tag 2, 4-byte length
      [0xcd, 192, 0, ...new Array<number>(192).fill(0x41)], // tag 13, 2-byte length
      [0xbb, 0x01, 0x02], // legacy format, tag 14, runs to the end
    ];
    const packets = readPackets(bytes(...headers.flat()), 'test');
    expect(packets.map((packet) => [packet.tag, packet.body.length])).toEqual([
      [2, 2],
      [2, 1],
      [2, 1],
      [2, 1],
      [13, 192],
      [14, 2],
    ]);
  });

  it.each([
    ['a byte without the packet bit', bytes(0x02, 0x00)],
    ['a length beyond the data', bytes(0xc2, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00)],
    ['a legacy length beyond the data', bytes(0x8a, 0x7f, 0xff, 0xff, 0xff)],
    ['a partial body length', bytes(0xc2, 0xe1, 0x00, 0x00)],
    ['a header cut short', bytes(0xc2, 0xff, 0x00)],
    ['nothing', bytes()],
  ])('refuses %s as malformed', (_, input) => {
    expect(failure(() => readPackets(input, 'test'))).toBe('malformed');
  });
});

describe('readMpi', () => {
  it('reads the magnitude and drops leading zero bytes', () => {
    expect([...readMpi(new ByteReader(bytes(0x00, 0x09, 0x01, 0xff), 'test'))]).toEqual([
      0x01, 0xff,
    ]);
  });

  it('refuses numbers too large or longer than the data', () => {
    expect(failure(() => readMpi(new ByteReader(bytes(0xff, 0xff, 0x01), 'test')))).toBe(
      'malformed',
    );
    expect(failure(() => readMpi(new ByteReader(bytes(0x00, 0x10, 0x01), 'test')))).toBe(
      'malformed',
    );
  });
});

describe('readSubpackets', () => {
  it('refuses a subpacket longer than its area or of length zero', () => {
    expect(failure(() => readSubpackets(bytes(0xff, 0x7f, 0xff, 0xff, 0xff, 2), true))).toBe(
      'malformed',
    );
    expect(failure(() => readSubpackets(bytes(0x00), true))).toBe('malformed');
  });

  it('refuses an unknown critical subpacket in the hashed area only', () => {
    expect(failure(() => readSubpackets(bytes(2, 0x80 | 100, 0), true))).toBe('unsupported');
    expect(readSubpackets(bytes(2, 0x80 | 100, 0), false)).toHaveLength(1);
  });
});
