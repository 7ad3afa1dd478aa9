import { createHash, type Hash } from 'node:crypto';
import type { Digest, DigestAlgorithm } from '../packages/model.ts';

/**
 * OpenPGP hash algorithm numbers, which rpm uses for FILEDIGESTALGO and PAYLOADDIGESTALGO.
 * Without a FILEDIGESTALGO tag, file digests are MD5.
 */
const PGP_HASH_ALGORITHMS: Readonly<Record<number, DigestAlgorithm>> = {
  1: 'md5',
  2: 'sha1',
  8: 'sha256',
  9: 'sha384',
  10: 'sha512',
  11: 'sha224',
};

export const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

export function digestAlgorithmOf(pgpHashAlgorithm: number): DigestAlgorithm | undefined {
  return PGP_HASH_ALGORITHMS[pgpHashAlgorithm];
}

/** A Digest from a hex string when it has the length the algorithm calls for, else undefined. */
export function parseDigest(algorithm: DigestAlgorithm, text: string): Digest | undefined {
  const hex = text.toLowerCase();
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]*$/.test(hex)) return undefined;
  return { algorithm, hex };
}

/** Node's hash for a digest algorithm, plus `sha3-256` used by v6 header digests. */
export function newHash(algorithm: DigestAlgorithm | 'sha3-256' | 'sha3-512'): Hash {
  return createHash(algorithm);
}

export function hashParts(
  algorithm: DigestAlgorithm | 'sha3-256' | 'sha3-512',
  parts: readonly Uint8Array[],
): string {
  const hash = newHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
