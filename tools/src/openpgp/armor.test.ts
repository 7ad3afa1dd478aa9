import { describe, expect, it } from 'vitest';
import { crc24, dearmor } from './armor.ts';
import { OpenPgpFormatError } from './errors.ts';

const PAYLOAD = Buffer.from('an OpenPGP packet stream, or near enough');

function armor(
  label: string,
  data: Uint8Array,
  options: { crc?: string; headers?: string } = {},
): string {
  const body = Buffer.from(data)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  const checksum = Buffer.from([crc24(data) >> 16, (crc24(data) >> 8) & 0xff, crc24(data) & 0xff]);
  const crcLine = options.crc ?? `=${checksum.toString('base64')}`;
  return `-----BEGIN PGP ${label}-----\n${options.headers ?? ''}\n${body}\n${crcLine}\n-----END PGP ${label}-----\n`;
}

function failure(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    return err instanceof OpenPgpFormatError ? err.failure : `other: ${String(err)}`;
  }
  return 'none';
}

describe('dearmor', () => {
  it('computes the CRC-24 of RFC 9580 (init 0xB704CE)', () => {
    expect(crc24(new Uint8Array(0))).toBe(0xb704ce);
  });

  it('decodes a block with headers, CRLF line endings and a checksum', () => {
    const text = armor('SIGNATURE', PAYLOAD, { headers: 'Version: test\nComment: two headers\n' });
    const [block] = dearmor(Buffer.from(text.replaceAll('\n', '\r\n')), 'SIGNATURE');
    expect(Buffer.from(block ?? []).equals(PAYLOAD)).toBe(true);
  });

  it('accepts a block without a checksum line', () => {
    const [block] = dearmor(Buffer.from(armor('SIGNATURE', PAYLOAD, { crc: '' })), 'SIGNATURE');
    expect(Buffer.from(block ?? []).equals(PAYLOAD)).toBe(true);
  });

  it('decodes only the blocks with the wanted label, in order, ignoring text around them', () => {
    const other = Buffer.from('another block');
    const text = `Some preamble\n${armor('PUBLIC KEY BLOCK', PAYLOAD)}between\n${armor('MESSAGE', PAYLOAD)}${armor('PUBLIC KEY BLOCK', other)}trailer\n`;
    const blocks = dearmor(Buffer.from(text), 'PUBLIC KEY BLOCK').map((block) =>
      Buffer.from(block).toString(),
    );
    expect(blocks).toEqual([PAYLOAD.toString(), other.toString()]);
  });

  it.each([
    ['a wrong checksum', armor('SIGNATURE', PAYLOAD, { crc: '=AAAA' })],
    ['no end line', armor('SIGNATURE', PAYLOAD).replace(/-----END.*\n/, '')],
    [
      'a mismatched end line',
      armor('SIGNATURE', PAYLOAD).replace('END PGP SIGNATURE', 'END PGP MESSAGE'),
    ],
    ['invalid base64', armor('SIGNATURE', PAYLOAD).replace(/\n[A-Za-z]/, '\n*')],
    [
      'data after the checksum',
      armor('SIGNATURE', PAYLOAD).replace('\n-----END', '\nQUFB\n-----END'),
    ],
    ['no block at all', 'just some text\n'],
    ['an empty block', '-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n'],
  ])('refuses %s as malformed', (_, text) => {
    expect(failure(() => dearmor(Buffer.from(text), 'SIGNATURE'))).toBe('malformed');
  });
});
