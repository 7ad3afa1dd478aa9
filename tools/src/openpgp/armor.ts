import { malformed } from './errors.ts';

/**
 * ASCII armor (RFC 9580 section 6): base64 between `-----BEGIN PGP <label>-----` and
 * `-----END PGP <label>-----` lines, after optional `Key: value` headers and a blank line, with an
 * optional `=XXXX` CRC-24 line at the end.
 */

const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;

export function crc24(bytes: Uint8Array): number {
  let crc = CRC24_INIT;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) {
        crc ^= CRC24_POLY;
      }
    }
  }
  return crc & 0xffffff;
}

const BEGIN = /^-----BEGIN PGP ([A-Z0-9 ,/]+)-----$/;
const END = /^-----END PGP ([A-Z0-9 ,/]+)-----$/;
const CHECKSUM = /^=([A-Za-z0-9+/]{4})$/;
const HEADER = /^[!-9;-~]+: ?/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Binary OpenPGP data always starts with a packet tag byte, which has its top bit set. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.length > 0 && ((bytes[0] ?? 0) & 0x80) !== 0;
}

/**
 * Decodes every armored block with the given label (`SIGNATURE`, `PUBLIC KEY BLOCK`) in `bytes`,
 * in order. Text around and between blocks, and blocks with other labels, are ignored.
 */
export function dearmor(bytes: Uint8Array, label: string): Uint8Array[] {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .split('\n')
    .map((line) => line.trimEnd());
  const blocks: Uint8Array[] = [];
  let index = 0;
  while (index < lines.length) {
    const begin = BEGIN.exec(lines[index] ?? '');
    index++;
    if (begin?.[1] !== label) {
      continue;
    }
    const { data, next } = readBlock(lines, index, label);
    blocks.push(data);
    index = next;
  }
  if (blocks.length === 0) {
    throw malformed(`no "-----BEGIN PGP ${label}-----" block found`);
  }
  return blocks;
}

function readBlock(
  lines: readonly string[],
  start: number,
  label: string,
): { data: Uint8Array; next: number } {
  let index = start;
  while (index < lines.length && HEADER.test(lines[index] ?? '')) {
    index++;
  }
  if (lines[index] === '') {
    index++;
  }
  const body: string[] = [];
  let checksum: string | undefined;
  for (; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const end = END.exec(line);
    if (end !== null) {
      if (end[1] !== label) {
        throw malformed(`armor block "${label}" ends with "${end[1] ?? ''}"`);
      }
      const data = decodeBase64(body.join(''), label);
      if (checksum !== undefined) {
        checkCrc(data, checksum, label);
      }
      return { data, next: index + 1 };
    }
    const crc = CHECKSUM.exec(line);
    if (crc !== null) {
      checksum = crc[1];
    } else if (checksum !== undefined) {
      throw malformed(`armor block "${label}" has data after its checksum line`);
    } else {
      body.push(line.trim());
    }
  }
  throw malformed(`armor block "${label}" has no "-----END PGP ${label}-----" line`);
}

function decodeBase64(text: string, label: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw malformed(`armor block "${label}" does not hold valid base64`);
  }
  const data = Buffer.from(text, 'base64');
  if (data.length === 0) {
    throw malformed(`armor block "${label}" is empty`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function checkCrc(data: Uint8Array, checksum: string, label: string): void {
  const expected = Buffer.from(checksum, 'base64');
  const actual = crc24(data);
  const expectedValue = ((expected[0] ?? 0) << 16) | ((expected[1] ?? 0) << 8) | (expected[2] ?? 0);
  if (expectedValue !== actual) {
    throw malformed(`armor block "${label}" fails its CRC-24 checksum`);
  }
}
