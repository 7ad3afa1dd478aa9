import { createHash } from 'node:crypto';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import type { ApkSource } from './limits.ts';

/** The `C:` form of a control member's identity: `Q1` and the base64 of its SHA1. */
export function formatControlHash(control: Uint8Array): string {
  return `Q1${createHash('sha1').update(control).digest('base64')}`;
}

function decodeExpected(
  expected: string,
  source: ApkSource,
): { algorithm: string; digest: Buffer } {
  const q = /^Q([12])([A-Za-z0-9+/]+={0,2})$/.exec(expected);
  if (q?.[1] !== undefined && q[2] !== undefined) {
    const algorithm = q[1] === '1' ? 'sha1' : 'sha256';
    const digest = Buffer.from(q[2], 'base64');
    if (digest.length === (algorithm === 'sha1' ? 20 : 32)) {
      return { algorithm, digest };
    }
  } else if (/^[0-9a-fA-F]{32}$/.test(expected)) {
    return { algorithm: 'md5', digest: Buffer.from(expected, 'hex') };
  }
  throw new PackageFormatError({
    ...source,
    message: `unrecognised control hash ${JSON.stringify(expected)} (expected Q1 + base64 SHA1)`,
  });
}

/** Compares the control member with an index's `C:` value (Q1 SHA1, Q2 SHA-256 or hex MD5). */
export function checkControlHash(control: Uint8Array, expected: string, source: ApkSource): void {
  const { algorithm, digest } = decodeExpected(expected, source);
  const actual = createHash(algorithm).update(control).digest();
  if (!actual.equals(digest)) {
    throw new PackageVerifyError({
      ...source,
      message: `the control member does not match the index: C:${expected} expected`,
      hint: 'the package is not the one the index describes; fetch it again or refresh the index',
    });
  }
}
