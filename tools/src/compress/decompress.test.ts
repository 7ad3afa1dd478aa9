import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decompressBuffer, detectCodec } from './index.ts';
import type { Codec } from './index.ts';

const PLAIN = Buffer.from(
  Array.from({ length: 5000 }, (_, i) => `line ${i} of the payload\n`).join(''),
);

/** Each codec compressed by the real command-line tool. */
const TOOLS: readonly [Codec, string[]][] = [
  ['gzip', ['gzip', '-c', '-n']],
  ['bzip2', ['bzip2', '-c']],
  ['xz', ['xz', '-c', '--check=crc64']],
  ['lzma', ['xz', '-c', '--format=lzma']],
  ['zstd', ['zstd', '-c', '-q']],
];

describe.each(TOOLS)('%s', (codec, [command, ...args]) => {
  const compressed = new Uint8Array(execFileSync(command ?? '', args, { input: PLAIN }));

  it('is detected from its first bytes', () => {
    expect(detectCodec(compressed)).toBe(codec);
  });

  it('decompresses to the original bytes', async () => {
    expect(Buffer.from(await decompressBuffer(compressed, codec)).equals(PLAIN)).toBe(true);
  });

  it('fails on a truncated stream instead of returning short data', async () => {
    await expect(
      decompressBuffer(compressed.subarray(0, compressed.length - 8), codec),
    ).rejects.toThrow();
  });
});

it('treats unknown bytes as uncompressed', () => {
  expect(detectCodec(new TextEncoder().encode('<?xml version="1.0"?>'))).toBe('none');
});
