import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';

export type InitramfsCompression = 'zstd' | 'xz' | 'gzip' | 'none';

const require = createRequire(import.meta.url);
const lzma = require('lzma-native') as {
  CHECK_CRC32: number;
  createCompressor(options: { preset: number; check: number }): Transform;
};

/** Best first: zstd unpacks fastest for its size, xz is smallest, gzip is everywhere. */
const PREFERENCE = ['zstd', 'xz', 'gzip'] as const;
const CONFIG_OPTION: Readonly<Record<Exclude<InitramfsCompression, 'none'>, string>> = {
  zstd: 'CONFIG_RD_ZSTD',
  xz: 'CONFIG_RD_XZ',
  gzip: 'CONFIG_RD_GZIP',
};

/** The best initramfs codec a kernel can unpack, from its config (`/boot/config-<version>`). */
export function kernelSupportedCompression(configText: string): InitramfsCompression {
  const enabled = new Set(
    configText
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.endsWith('=y'))
      .map((line) => line.slice(0, -2)),
  );
  return PREFERENCE.find((codec) => enabled.has(CONFIG_OPTION[codec])) ?? 'none';
}

/**
 * Compresses an initramfs archive. The output depends only on the input: gzip without a name
 * or time, zstd single-threaded, xz single-threaded with a CRC32 check (the kernel's xz
 * decoder panics on the default CRC64).
 */
export async function compressInitramfs(
  archive: Uint8Array,
  codec: InitramfsCompression,
): Promise<Uint8Array> {
  switch (codec) {
    case 'none':
      return archive;
    case 'gzip':
      return new Uint8Array(gzipSync(archive, { level: 9 }));
    case 'zstd':
      return new Uint8Array(zstdCompress(archive, { compressionLevel: 19, checksumFlag: true }));
    case 'xz':
      return collect(
        Readable.from([Buffer.from(archive)]).pipe(
          lzma.createCompressor({ preset: 6, check: lzma.CHECK_CRC32 }),
        ),
      );
  }
}

async function collect(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
