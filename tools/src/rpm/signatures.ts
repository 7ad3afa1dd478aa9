/**
 * The OpenPGP signatures an RPM can carry, all in the signature header:
 *
 * - OPENPGP (278, rpm 6, also read by the rpm of RHEL 10.1): a STRING_ARRAY with one base64
 *   signature over the main header per value, any number of signers and algorithms (RHEL
 *   packages hold an RSA one and an ML-DSA-87+Ed448 one).
 * - RSAHEADER (268) and DSAHEADER (267), rpm 4: one binary signature over the main header. Despite
 *   the names, any public-key algorithm is stored in either (EdDSA goes in DSAHEADER). Beside
 *   OPENPGP they hold a copy of one of its v4 signatures for rpm 4.
 * - PGP (1002), GPG (1005) and PGP5 (1006), legacy: a signature over the main header followed by
 *   the payload. Absent from v6 packages.
 *
 * All of them are read; a value that repeats an earlier one byte for byte is a compatibility
 * copy (see {@link duplicateOf}).
 */

import { describeSignature, SignatureError } from '../openpgp/index.ts';
import type { HashAlgorithm, PublicKeyAlgorithm } from '../openpgp/index.ts';
import type { RpmHeaders } from './package-headers.ts';
import { SigTag } from './tags.ts';

export type RpmSignatureTag = 'openpgp' | 'rsa-header' | 'dsa-header' | 'pgp' | 'gpg' | 'pgp5';

export interface RpmRawSignature {
  readonly tag: RpmSignatureTag;
  readonly tagNumber: number;
  /** Position among the values of its tag: OPENPGP holds several, the others one. */
  readonly index: number;
  /** What the signature is over. */
  readonly covers: 'header' | 'header+payload';
  readonly bytes: Uint8Array;
  /** Set when the value is not even encoded right (OPENPGP values must be base64). */
  readonly encodingProblem?: string;
}

/** A signature as read, without verifying it. */
export interface RpmSignatureSummary {
  readonly tag: RpmSignatureTag;
  readonly covers: 'header' | 'header+payload';
  /** Uppercase hex, 16 digits, when the signature names its issuer. */
  readonly keyId?: string;
  readonly fingerprint?: string;
  /** The public-key algorithm for people, also when unsupported: `ML-DSA-87+Ed448 (algorithm 31)`. */
  readonly algorithm?: string;
  /** Set only for the algorithms these tools verify with. */
  readonly publicKeyAlgorithm?: PublicKeyAlgorithm;
  readonly hashAlgorithm?: HashAlgorithm;
  /** Seconds since the epoch. */
  readonly created?: number;
  readonly version?: number;
  /** Why the signature could not be read: `malformed` or `unsupported`, with details. */
  readonly problem?: { readonly failure: string; readonly message: string };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** How messages name one signature: `OPENPGP signature 2`, `RSAHEADER signature`. */
export function signatureLabel(raw: Pick<RpmRawSignature, 'tag' | 'index'>): string {
  const name = raw.tag.replace('-', '').toUpperCase();
  return raw.tag === 'openpgp' ? `${name} signature ${raw.index + 1}` : `${name} signature`;
}

/** The signatures of the signature header: OPENPGP values first, then the older tags. */
export function rawSignatures(headers: RpmHeaders): RpmRawSignature[] {
  const { signature } = headers;
  const out: RpmRawSignature[] = [];
  (signature.strings(SigTag.OPENPGP) ?? []).forEach((text, index) => {
    const bytes = decodeBase64(text);
    out.push({
      tag: 'openpgp',
      tagNumber: SigTag.OPENPGP,
      index,
      covers: 'header',
      bytes: bytes ?? new Uint8Array(0),
      ...(bytes === undefined ? { encodingProblem: 'the value is not base64' } : {}),
    });
  });
  const binary: readonly (readonly [RpmSignatureTag, number, 'header' | 'header+payload'])[] = [
    ['rsa-header', SigTag.RSA, 'header'],
    ['dsa-header', SigTag.DSA, 'header'],
    ['pgp', SigTag.PGP, 'header+payload'],
    ['gpg', SigTag.GPG, 'header+payload'],
    ['pgp5', SigTag.PGP5, 'header+payload'],
  ];
  for (const [tag, tagNumber, covers] of binary) {
    const bytes = signature.binary(tagNumber);
    if (bytes !== undefined) out.push({ tag, tagNumber, index: 0, covers, bytes });
  }
  return out;
}

/**
 * The earlier signature of the list that this one repeats byte for byte over the same data:
 * rpm 6 copies a v4 signature of OPENPGP into RSAHEADER or DSAHEADER for rpm 4.
 */
export function duplicateOf(
  raw: RpmRawSignature,
  all: readonly RpmRawSignature[],
): RpmRawSignature | undefined {
  if (raw.encodingProblem !== undefined) return undefined;
  const position = all.indexOf(raw);
  return all
    .slice(0, position < 0 ? all.length : position)
    .find(
      (other) =>
        other.encodingProblem === undefined &&
        other.covers === raw.covers &&
        Buffer.from(other.bytes).equals(raw.bytes),
    );
}

/**
 * Reads what a signature says about itself: signer, algorithms, date. A signature by an
 * algorithm these tools do not implement keeps what can be read, with an `unsupported` problem.
 */
export function summariseSignature(raw: RpmRawSignature): RpmSignatureSummary {
  const base = { tag: raw.tag, covers: raw.covers };
  if (raw.encodingProblem !== undefined) {
    return {
      ...base,
      problem: { failure: 'malformed', message: `${signatureLabel(raw)}: ${raw.encodingProblem}` },
    };
  }
  try {
    const description = describeSignature(raw.bytes, signatureLabel(raw));
    const { info } = description;
    return {
      ...base,
      ...(description.issuerKeyId === undefined ? {} : { keyId: description.issuerKeyId }),
      ...(description.issuerFingerprint === undefined
        ? {}
        : { fingerprint: description.issuerFingerprint }),
      algorithm: description.algorithm,
      ...(info === undefined
        ? {}
        : { publicKeyAlgorithm: info.publicKeyAlgorithm, hashAlgorithm: info.hashAlgorithm }),
      created: description.created,
      version: description.version,
      ...(description.unsupported === undefined
        ? {}
        : { problem: { failure: 'unsupported', message: description.unsupported } }),
    };
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    return { ...base, problem: { failure: error.failure, message: error.message } };
  }
}

/** Every signature of the package, read but not verified. */
export function listSignatures(headers: RpmHeaders): RpmSignatureSummary[] {
  return rawSignatures(headers).map((raw) => summariseSignature(raw));
}
