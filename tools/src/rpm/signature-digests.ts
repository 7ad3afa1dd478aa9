/**
 * Digests of the signature header that can be checked from the headers alone, and those over
 * header + payload.
 *
 * - SHA1HEADER (269), SHA256HEADER (273), SHA3_256 (279, v6): hex digests of the main header
 *   exactly as stored (preamble, index and data).
 * - MD5 (1004): 16 raw bytes, the MD5 of the main header followed by the payload.
 * - SIZE (1000) or LONGSIZE (270): the length of the main header plus the payload.
 */

import { PackageVerifyError } from '../packages/errors.ts';
import { problemOf } from './context.ts';
import { hashParts } from './digests.ts';
import type { RpmHeaders } from './package-headers.ts';
import { SigTag } from './tags.ts';

export interface RpmDigestCheck {
  /** `header-sha256`, `header-sha1`, `header-sha3-256`, `header+payload-md5`, `payload-sha256`, ... */
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export function digestCheck(name: string, expected: string, actual: string): RpmDigestCheck {
  return { name, expected, actual, ok: expected === actual };
}

/** The header digests the signature header declares, checked. */
export function checkHeaderDigests(headers: RpmHeaders): RpmDigestCheck[] {
  const { signature, header } = headers;
  const checks: RpmDigestCheck[] = [];
  const pairs = [
    ['header-sha256', SigTag.SHA256, 'sha256'],
    ['header-sha1', SigTag.SHA1, 'sha1'],
    ['header-sha3-256', SigTag.SHA3_256, 'sha3-256'],
  ] as const;
  for (const [name, tag, algorithm] of pairs) {
    const expected = signature.string(tag);
    if (expected === undefined) continue;
    checks.push(digestCheck(name, expected.toLowerCase(), hashParts(algorithm, [header.bytes])));
  }
  return checks;
}

/** The declared MD5 of header + payload, as hex, when present. */
export function declaredHeaderPayloadMd5(headers: RpmHeaders): string | undefined {
  const md5 = headers.signature.binary(SigTag.MD5);
  return md5 === undefined ? undefined : Buffer.from(md5).toString('hex');
}

/** The declared size of header + payload, when present. */
export function declaredHeaderPayloadSize(headers: RpmHeaders): number | undefined {
  return headers.signature.number(SigTag.LONGSIZE) ?? headers.signature.number(SigTag.SIZE);
}

/** The checks that compare a length the headers declare with the bytes the file holds. */
const SIZE_CHECKS: ReadonlySet<string> = new Set(['header+payload-size', 'payload-size']);

/**
 * Throws a PackageVerifyError listing the checks that failed, if any did. A package shorter
 * than its headers declare is called truncated first: that is what happened, and the digests
 * only follow from it.
 */
export function assertDigests(headers: RpmHeaders, checks: readonly RpmDigestCheck[]): void {
  const failed = checks.filter((check) => !check.ok);
  if (failed.length === 0) return;
  const detail = failed
    .map((check) => `${check.name} is ${check.actual}, expected ${check.expected}`)
    .join('; ');
  const short = failed.find(
    (check) => SIZE_CHECKS.has(check.name) && Number(check.actual) < Number(check.expected),
  );
  const truncated =
    short === undefined
      ? ''
      : `the file is truncated (${short.name === 'payload-size' ? 'a payload of ' : 'header and payload are '}${short.actual} bytes, the headers declare ${short.expected}); `;
  throw new PackageVerifyError({
    ...problemOf(headers.context, `${truncated}digest mismatch: ${detail}`),
    hint:
      short === undefined
        ? 'the file is not what was packaged (damaged or altered); do not use it, fetch it again'
        : 'the file was cut short (an interrupted download or copy?); fetch it again',
  });
}
