import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCodec } from '../compress/codec.ts';
import { decompressBuffer } from '../compress/decompress.ts';
import { createRunner } from '../core/run.ts';
import { hostKernelConfig } from '../test-support/host-kernel.ts';
import { compressInitramfs, kernelSupportedCompression } from './compression.ts';
import type { InitramfsCompression } from './compression.ts';

const PAYLOAD = new TextEncoder().encode(
  Array.from({ length: 20_000 }, (_, index) => `entry ${index % 977} of the archive\n`).join(''),
);

describe('kernelSupportedCompression', () => {
  it("picks zstd for Debian's kernel", async () => {
    const config = await readFile(await hostKernelConfig(), 'utf8');
    expect(kernelSupportedCompression(config)).toBe('zstd');
  });

  it.each([
    ['CONFIG_RD_GZIP=y\nCONFIG_RD_XZ=y\nCONFIG_RD_ZSTD=y\n', 'zstd'],
    ['CONFIG_RD_GZIP=y\nCONFIG_RD_XZ=y\n# CONFIG_RD_ZSTD is not set\n', 'xz'],
    ['CONFIG_RD_GZIP=y\nCONFIG_RD_LZ4=y\n', 'gzip'],
    ['# CONFIG_RD_GZIP is not set\nCONFIG_RD_BZIP2=y\n', 'none'],
    ['', 'none'],
  ])('picks the best codec the config enables (%#)', (config, expected) => {
    expect(kernelSupportedCompression(config)).toBe(expected);
  });
});

describe('compressInitramfs', () => {
  it.each<InitramfsCompression>(['zstd', 'xz', 'gzip', 'none'])(
    '%s round-trips and gives the same bytes every time',
    async (codec) => {
      const first = await compressInitramfs(PAYLOAD, codec);
      const second = await compressInitramfs(PAYLOAD, codec);
      expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
      expect(detectCodec(first)).toBe(codec);
      if (codec !== 'none') expect(first.length).toBeLessThan(PAYLOAD.length / 10);
      expect(Buffer.from(await decompressBuffer(first, codec)).equals(Buffer.from(PAYLOAD))).toBe(
        true,
      );
    },
  );

  it('writes xz with a CRC32 check, which the kernel can verify', async () => {
    const xz = await compressInitramfs(PAYLOAD, 'xz');
    const CHECK_CRC32 = 0x01;
    expect(xz[6]).toBe(0);
    expect(xz[7]).toBe(CHECK_CRC32);
    const dir = await mkdtemp(join(tmpdir(), 'initramfs-xz-'));
    try {
      await writeFile(join(dir, 'initramfs.xz'), xz);
      const { stdout } = await createRunner().run([
        'xz',
        '--robot',
        '--list',
        join(dir, 'initramfs.xz'),
      ]);
      expect(stdout).toMatch(/\tCRC32\t/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes gzip without a name or time stamp', async () => {
    const gzip = await compressInitramfs(PAYLOAD, 'gzip');
    const FNAME = 0x08;
    expect((gzip[3] ?? 0) & FNAME).toBe(0);
    expect([...gzip.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });
});
