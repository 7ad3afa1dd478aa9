import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decompressBuffer } from './index.ts';

/** Found by the RPM payload fuzz test: bzip2 data that stops inside a block. */

const PLAIN = Buffer.from(Array.from({ length: 3000 }, (_, i) => `row ${i * 7919}\n`).join(''));
const COMPRESSED = new Uint8Array(execFileSync('bzip2', ['-c'], { input: PLAIN }));

describe('bzip2 data cut short', () => {
  it.each([12, 40, Math.floor(COMPRESSED.length / 2), COMPRESSED.length - 1])(
    'fails with a message about the data, not a TypeError (cut at %i bytes)',
    async (cut) => {
      const error = await decompressBuffer(COMPRESSED.subarray(0, cut), 'bzip2').then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toMatch(/Cannot read properties/);
    },
  );
});
