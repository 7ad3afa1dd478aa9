/** Measuring files and comparing them with what the repository metadata promised. */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { Digest, DigestAlgorithm } from '../packages/model.ts';
import type { ExpectedContent } from './types.ts';

const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

/** A file's size and digests: SHA-256 always, and the expected algorithm's when it differs. */
export interface Measurement {
  readonly size: number;
  readonly sha256: string;
  /** Hex digest in the algorithm that was asked for (the SHA-256 again when that was asked). */
  readonly requested: string;
}

/** The digest with lowercase hex, after checking that the hex has the algorithm's length. */
export function normaliseDigest(digest: Digest, label: string): Digest {
  const hex = digest.hex.toLowerCase();
  const length = HEX_LENGTH[digest.algorithm];
  if (length === undefined || hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    throw new UserError(
      'fetch-bad-digest',
      `${label}: ${JSON.stringify(digest.hex)} is not a ${digest.algorithm} digest`,
      { hint: 'the repository metadata is damaged; fetch it again' },
    );
  }
  return { algorithm: digest.algorithm, hex };
}

export function isSha256Hex(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/** Measures content fed to it a chunk at a time. */
export interface Measurer {
  update(bytes: Uint8Array): void;
  result(): Measurement;
}

/** Computes the SHA-256 and, when different, the `algorithm` digest of what it is fed. */
export function createMeasurer(algorithm: DigestAlgorithm = 'sha256'): Measurer {
  const sha256 = createHash('sha256');
  const other = algorithm === 'sha256' ? undefined : createHash(algorithm);
  let size = 0;
  return {
    update(bytes) {
      size += bytes.length;
      sha256.update(bytes);
      other?.update(bytes);
    },
    result() {
      const sha256Hex = sha256.digest('hex');
      return { size, sha256: sha256Hex, requested: other?.digest('hex') ?? sha256Hex };
    },
  };
}

/** Reads the file once, computing its SHA-256 and, when different, the `algorithm` digest. */
export async function measureFile(
  path: string,
  algorithm: DigestAlgorithm = 'sha256',
): Promise<Measurement> {
  const measurer = createMeasurer(algorithm);
  for await (const chunk of createReadStream(path)) {
    measurer.update(chunk as Buffer);
  }
  return measurer.result();
}

/** Why the measured content is not the expected one, or undefined when it is. */
export function contentProblem(
  measured: Measurement,
  expected: ExpectedContent | undefined,
): string | undefined {
  if (expected?.size !== undefined && measured.size !== expected.size) {
    return `size is ${measured.size} bytes, expected ${expected.size}`;
  }
  const digest = expected?.digest;
  if (digest !== undefined && measured.requested !== digest.hex) {
    return `${digest.algorithm} digest is ${measured.requested}, expected ${digest.hex}`;
  }
  return undefined;
}
