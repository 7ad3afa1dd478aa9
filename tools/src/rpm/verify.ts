/**
 * Package verification, the equivalent of `rpm -K`: every digest the package declares, and its
 * OpenPGP signatures against a keyring.
 *
 * Policy:
 * - every digest present must match (header digests, payload digests, MD5 and size of
 *   header + payload);
 * - every signature is read: the OPENPGP values and the RSAHEADER, DSAHEADER and legacy
 *   header+payload tags; a value that repeats an earlier one byte for byte (rpm 6's copy of a v4
 *   signature for rpm 4) is only listed;
 * - a signature that cannot be parsed, or that a key of the keyring shows to be wrong, fails
 *   the package whatever the options, even when another signature verifies (rpm fails on any
 *   bad signature it can check);
 * - a signature these tools cannot check (a post-quantum algorithm, an unknown packet version)
 *   or whose key is not in the keyring does not fail the package by itself;
 * - with `requireSignature`, at least one signature must verify with a key of the keyring; the
 *   error names the signers and algorithms that could not stand in;
 * - signatures over header + payload need the whole payload in memory; they are checked only
 *   when the keyring has the signer's key and the payload is at most 512 MiB.
 *
 * rpm 6 (and RHEL 10.1's rpm) differs in two ways: it skips RSAHEADER, DSAHEADER and the legacy
 * tags once OPENPGP holds a signature, and it fails a package when any signature it parses has
 * no key in the keyring. Checking every distinct signature is stricter than the first; the
 * second would make a keyring without the post-quantum key refuse every RHEL 10.1 package,
 * although its RSA signature verifies.
 */

import type { Keyring } from '../openpgp/index.ts';
import { SignatureError, verifySignature } from '../openpgp/index.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { problemOf } from './context.ts';
import { newHash } from './digests.ts';
import {
  assertDigests,
  checkHeaderDigests,
  declaredHeaderPayloadMd5,
  declaredHeaderPayloadSize,
  digestCheck,
  type RpmDigestCheck,
} from './signature-digests.ts';
import { readRpmHeaders, type RpmHeaders } from './package-headers.ts';
import { openPayload, payloadDigestChecks, type PayloadDigestCheck } from './payload.ts';
import {
  duplicateOf,
  rawSignatures,
  signatureLabel,
  summariseSignature,
  type RpmRawSignature,
  type RpmSignatureSummary,
} from './signatures.ts';
import { Tag } from './tags.ts';

export interface RpmVerifyOptions {
  readonly keyring?: Keyring;
  readonly requireSignature: boolean;
  /**
   * The caller extracts the payload with streamRpmEntries, which checks the digests and size of
   * the uncompressed archive as it decompresses it: verification then reads the payload
   * compressed only, once a digest of the compressed bytes binds them to the signed header,
   * instead of decompressing it a second time. Without such a digest it decompresses anyway.
   */
  readonly uncompressedCheckedOnExtraction?: boolean;
}

export type RpmSignatureStatus =
  'verified' | 'no-key' | 'bad-signature' | 'malformed' | 'unsupported' | 'ignored';

export interface RpmSignatureCheck {
  readonly signature: RpmSignatureSummary;
  readonly status: RpmSignatureStatus;
  /** The key that made a verified signature, and its primary key. */
  readonly signer?: {
    readonly keyId: string;
    readonly fingerprint: string;
    readonly primary: string;
  };
  readonly detail?: string;
}

export interface RpmVerifyReport {
  readonly package: string;
  readonly file: string;
  readonly digests: readonly RpmDigestCheck[];
  readonly signatures: readonly RpmSignatureCheck[];
}

const MAX_SIGNED_PAYLOAD = 512 * 1024 * 1024;

/** One pass over the payload for the digests, optionally keeping it for legacy signatures. */
async function scanPayload(
  headers: RpmHeaders,
  keep: boolean,
  declared: readonly PayloadDigestCheck[],
  decompress: boolean,
): Promise<{ checks: RpmDigestCheck[]; payload: Uint8Array[] }> {
  const md5 = declaredHeaderPayloadMd5(headers);
  const md5Hash = md5 === undefined ? undefined : newHash('md5').update(headers.header.bytes);
  const kept: Uint8Array[] = [];
  const payload = openPayload(headers, declared, {
    decompress,
    observeCompressed: (chunk) => {
      md5Hash?.update(chunk);
      if (keep) kept.push(chunk.slice());
    },
  });
  try {
    await payload.source.drain(Number.POSITIVE_INFINITY);
  } finally {
    await payload.close();
  }
  const checks = payload.checks();
  const { compressedBytes } = payload.totals;
  if (md5 !== undefined && md5Hash !== undefined)
    checks.push(digestCheck('header+payload-md5', md5, md5Hash.digest('hex')));
  const total = declaredHeaderPayloadSize(headers);
  if (total !== undefined) {
    checks.push(
      digestCheck(
        'header+payload-size',
        String(total),
        String(headers.header.bytes.length + compressedBytes),
      ),
    );
  }
  return { checks, payload: kept };
}

/**
 * The payload digests, over the compressed bytes and, when the header declares digests of the
 * uncompressed archive, over the decompressed bytes too. A payload that cannot be decompressed
 * (cut short, or damaged) still has its compressed digests checked, as `rpm -K` does; each
 * uncompressed digest then fails, saying why.
 */
async function checkPayload(
  headers: RpmHeaders,
  keep: boolean,
  uncompressedCheckedOnExtraction = false,
): Promise<{ checks: RpmDigestCheck[]; payload: Uint8Array[] }> {
  const declared = payloadDigestChecks(headers);
  const compressed = declared.filter((check) => check.compressed);
  if (uncompressedCheckedOnExtraction && compressed.length > 0) {
    return scanPayload(headers, keep, compressed, false);
  }
  const decompress =
    declared.some((check) => !check.compressed) || headers.header.has(Tag.PAYLOADSIZEALT);
  if (!decompress) return scanPayload(headers, keep, declared, false);
  try {
    return await scanPayload(headers, keep, declared, true);
  } catch (error) {
    const uncompressed = declared.filter((check) => !check.compressed);
    if (!(error instanceof PackageFormatError) || uncompressed.length === 0) throw error;
    const scanned = await scanPayload(headers, keep, compressed, false);
    const unreadable = `unreadable (${headers.payload.codec} data ends or breaks early)`;
    for (const check of uncompressed) {
      scanned.checks.push(digestCheck(check.name, check.expected, unreadable));
    }
    return scanned;
  }
}

function checkSignature(
  headers: RpmHeaders,
  raw: RpmRawSignature,
  keyring: Keyring,
  payload: readonly Uint8Array[] | undefined,
): RpmSignatureCheck {
  const subject = `${headers.nevra} (${headers.file})`;
  const signature = summariseSignature(raw);
  if (signature.problem !== undefined) {
    return {
      signature,
      status: signature.problem.failure === 'unsupported' ? 'unsupported' : 'malformed',
      detail: signature.problem.message,
    };
  }
  const data =
    raw.covers === 'header'
      ? [headers.header.bytes]
      : payload === undefined
        ? undefined
        : [headers.header.bytes, ...payload];
  if (data === undefined) {
    const known =
      signature.keyId !== undefined && keyring.findByKeyId(signature.keyId) !== undefined;
    return known
      ? {
          signature,
          status: 'unsupported',
          detail: 'the payload is too large to check a header+payload signature',
        }
      : { signature, status: 'no-key' };
  }
  try {
    const verified = verifySignature(raw.bytes, data, keyring, subject);
    const signer = {
      keyId: verified.key.keyId,
      fingerprint: verified.key.fingerprint,
      primary: verified.primary.fingerprint,
    };
    return { signature, status: 'verified', signer };
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    return { signature, status: error.failure, detail: error.message };
  }
}

function signerName(check: RpmSignatureCheck): string | undefined {
  return check.signature.keyId ?? check.signature.fingerprint;
}

/** Why a signature that did not verify could not stand in for a trusted one. */
function shortfall(check: RpmSignatureCheck): string {
  const signer = signerName(check);
  const key = `key ${signer ?? '(unnamed)'}`;
  switch (check.status) {
    case 'no-key':
      return `${key}: not in the keyring`;
    case 'unsupported':
      return `${key}: ${check.detail ?? 'a signature kind these tools cannot check'}`;
    default:
      return `${key}: ${check.status}`;
  }
}

function enforce(
  headers: RpmHeaders,
  checks: readonly RpmSignatureCheck[],
  required: boolean,
): void {
  const broken = checks.find(
    (check) => check.status === 'bad-signature' || check.status === 'malformed',
  );
  if (broken !== undefined) {
    const signer = signerName(broken);
    const by = signer === undefined ? '' : ` by key ${signer}`;
    throw new PackageVerifyError(
      problemOf(
        headers.context,
        `the ${broken.signature.tag} signature${by} is ${broken.status}: ${broken.detail ?? ''}`,
      ),
    );
  }
  if (!required || checks.some((check) => check.status === 'verified')) return;
  const considered = checks.filter((check) => check.status !== 'ignored');
  const parts = [...new Set(considered.map(shortfall))];
  const message =
    parts.length === 0
      ? 'the package is not signed, and a signature is required'
      : `no signature made by a trusted key (${parts.join('; ')})`;
  throw new PackageVerifyError(problemOf(headers.context, message));
}

/**
 * Verifies the header and payload digests of an RPM file, what `rpm -K --nosignature` checks,
 * without its signatures; throws a PackageVerifyError naming every digest that fails.
 */
export async function verifyRpmDigests(file: string): Promise<readonly RpmDigestCheck[]> {
  const headers = await readRpmHeaders(file);
  const digests = checkHeaderDigests(headers);
  digests.push(...(await checkPayload(headers, false)).checks);
  assertDigests(headers, digests);
  return digests;
}

/** Verifies the digests and signatures of an RPM file; throws PackageVerifyError per the policy above. */
export async function verifyRpm(file: string, options: RpmVerifyOptions): Promise<RpmVerifyReport> {
  const headers = await readRpmHeaders(file);
  const keyring = options.keyring ?? {
    keys: [],
    findByKeyId: () => undefined,
    findByFingerprint: () => undefined,
  };
  const raws = rawSignatures(headers);
  const needsPayload = raws.some((raw) => {
    if (raw.covers !== 'header+payload' || headers.layout.payload.length > MAX_SIGNED_PAYLOAD)
      return false;
    const keyId = summariseSignature(raw).keyId;
    return keyId === undefined ? keyring.keys.length > 0 : keyring.findByKeyId(keyId) !== undefined;
  });
  const digests = checkHeaderDigests(headers);
  const scanned = await checkPayload(
    headers,
    needsPayload,
    options.uncompressedCheckedOnExtraction === true,
  );
  digests.push(...scanned.checks);
  assertDigests(headers, digests);
  const signatures = raws.map((raw): RpmSignatureCheck => {
    const original = duplicateOf(raw, raws);
    if (original !== undefined) {
      return {
        signature: summariseSignature(raw),
        status: 'ignored',
        detail: `a copy of ${signatureLabel(original)}`,
      };
    }
    return checkSignature(headers, raw, keyring, needsPayload ? scanned.payload : undefined);
  });
  enforce(headers, signatures, options.requireSignature);
  return { package: headers.nevra, file, digests, signatures };
}
