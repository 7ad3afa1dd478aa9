import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { exitCodeFor, formatError } from '../core/format-error.ts';
import { outputFolder, temporaryFolder } from './folder-roles.ts';
import { assertRoomForIso, estimateIsoBytes } from './free-space.ts';

const MIB = 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'free-space-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const packages = [{ size: 100 * MIB }, { size: 60 * MIB }];

describe('estimateIsoBytes', () => {
  it('is above every ISO built so far for its packages', () => {
    // Package bytes and ISO bytes of the AcornOS, IuppiterOS and LevitateOS fixture builds.
    for (const [packageBytes, isoBytes] of [
      [131_141_285, 176_644_096],
      [146_798_507, 163_012_608],
      [47_914_956, 111_650_816],
    ] as const) {
      expect(estimateIsoBytes(packageBytes)).toBeGreaterThan(isoBytes);
    }
  });
});

describe('assertRoomForIso', () => {
  const context = () => ({ outDir: join(dir), workDir: join(dir) });

  it('passes with room for the ISO in the output folder and twice that for the work', async () => {
    const needed = 3 * estimateIsoBytes(160 * MIB);
    await expect(
      assertRoomForIso(context(), packages, () => Promise.resolve(needed)),
    ).resolves.toBe(undefined);
  });

  it('fails as a UserError (exit 2) naming both folders on one full file system', async () => {
    const failure = await assertRoomForIso(context(), packages, () =>
      Promise.resolve(300 * MIB),
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UserError);
    const error = failure as UserError;
    expect(error.code).toBe('folder-full');
    const iso = Math.ceil(estimateIsoBytes(160 * MIB) / MIB);
    expect(error.message).toBe(
      `not enough free space for the build: the ${outputFolder(dir).role} ${dir} about ${iso} MiB and the ${temporaryFolder(dir).role} ${dir} about ${2 * iso} MiB, but only 300 MiB is free there`,
    );
    expect(error.hint).toBe(
      'free some space, or pass another --out, or set TMPDIR to a writable folder with room for the build',
    );
    expect(exitCodeFor(error)).toBe(2);
    expect(formatError(error)).not.toContain('this is a bug');
  });
});
