/** Compression formats found in packages and repository metadata. */
export type Codec = 'none' | 'gzip' | 'bzip2' | 'xz' | 'lzma' | 'zstd';

const MAGIC: readonly [Codec, readonly number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * The codec of a compressed stream from its first bytes. Raw `.lzma` (LZMA-alone) has no
 * magic; it is recognised by its header: properties byte < 225 and a dictionary size that is
 * a power of two or 2^n + 2^(n-1).
 */
export function detectCodec(head: Uint8Array): Codec {
  for (const [codec, magic] of MAGIC) {
    if (magic.every((byte, index) => head[index] === byte)) return codec;
  }
  if (looksLikeLzmaAlone(head)) return 'lzma';
  return 'none';
}

function looksLikeLzmaAlone(head: Uint8Array): boolean {
  if (head.length < 13 || (head[0] ?? 255) >= 225) return false;
  const dict = new DataView(head.buffer, head.byteOffset + 1, 4).getUint32(0, true);
  if (dict === 0xffffffff) return true;
  for (let bit = 12; bit < 32; bit++) {
    if (dict === 2 ** bit || dict === 2 ** bit + 2 ** (bit - 1)) return true;
  }
  return false;
}

/** The codec a file name implies (`primary.xml.zst`), or undefined when the name says nothing. */
export function codecFromName(name: string): Codec | undefined {
  if (name.endsWith('.gz')) return 'gzip';
  if (name.endsWith('.bz2')) return 'bzip2';
  if (name.endsWith('.xz')) return 'xz';
  if (name.endsWith('.lzma')) return 'lzma';
  if (name.endsWith('.zst') || name.endsWith('.zstd')) return 'zstd';
  return undefined;
}

/** RPM's PAYLOADCOMPRESSOR tag values. */
export function codecFromRpmCompressor(value: string | undefined): Codec {
  switch (value) {
    case undefined:
    case 'gzip':
      return 'gzip';
    case 'bzip2':
      return 'bzip2';
    case 'xz':
      return 'xz';
    case 'lzma':
      return 'lzma';
    case 'zstd':
      return 'zstd';
    case 'identity':
      return 'none';
    default:
      throw new Error(`unknown RPM payload compressor "${value}"`);
  }
}
