/**
 * The OpenPGP signatures an RPM can carry, all in the signature header:
 *
 * - RSAHEADER (268) and DSAHEADER (267): one binary signature over the main header. Despite the
 *   names, any public-key algorithm is stored in either (EdDSA goes in DSAHEADER).
 * - OPENPGP (278, rpm 6): a STRING_ARRAY of base64 signatures over the main header, one per
 *   signer. When present, rpm 6 ignores RSAHEADER and DSAHEADER, which only remain for rpm 4.
 * - PGP (1002), GPG (1005) and PGP5 (1006), legacy: a signature over the main header followed by
 *   the payload. Absent from v6 packages.
 */

import { readSignature, SignatureError } from '../openpgp/index.ts';
import type { HashAlgorithm, PublicKeyAlgorithm } from '../openpgp/index.ts';
import type { RpmHeaders } from './headers.ts';
import { SigTag } from './tags.ts';

export type RpmSignatureTag = 'openpgp' | 'rsa-header' | 'dsa-header' | 'pgp' | 'gpg' | 'pgp5';

export interface RpmRawSignature {
  readonly tag: RpmSignatureTag;
  readonly tagNumber: number;
  /** What the signature is over. */
  readonly covers: 'header' | 'header+payload';
  readonly bytes: Uint8Array;
}

/** A signature as read, without verifying it. */
export interface RpmSignatureSummary {
  readonly tag: RpmSignatureTag;
  readonly covers: 'header' | 'header+payload';
  /** Uppercase hex, 16 digits, when the signature names its issuer. */
  readonly keyId?: string;
  readonly fingerprint?: string;
  readonly publicKeyAlgorithm?: PublicKeyAlgorithm;
  readonly hashAlgorithm?: HashAlgorithm;
  /** Seconds since the epoch. */
  readonly created?: number;
  readonly version?: number;
  /** Why the signature could not be read: `malformed` or `unsupported`, with details. */
  readonly problem?: { readonly failure: string; readonly message: string };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return new Uint8Array(0);
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** The signatures of the signature header, v6 ones first. */
export function rawSignatures(headers: RpmHeaders): RpmRawSignature[] {
  const { signature } = headers;
  const out: RpmRawSignature[] = [];
  for (const text of signature.strings(SigTag.OPENPGP) ?? []) {
    out.push({
      tag: 'openpgp',
      tagNumber: SigTag.OPENPGP,
      covers: 'header',
      bytes: decodeBase64(text),
    });
  }
  const binary: readonly (readonly [RpmSignatureTag, number, 'header' | 'header+payload'])[] = [
    ['rsa-header', SigTag.RSA, 'header'],
    ['dsa-header', SigTag.DSA, 'header'],
    ['pgp', SigTag.PGP, 'header+payload'],
    ['gpg', SigTag.GPG, 'header+payload'],
    ['pgp5', SigTag.PGP5, 'header+payload'],
  ];
  for (const [tag, tagNumber, covers] of binary) {
    const bytes = signature.binary(tagNumber);
    if (bytes !== undefined) out.push({ tag, tagNumber, covers, bytes });
  }
  return out;
}

/** Reads what a signature says about itself: signer, algorithms, date. */
export function summariseSignature(raw: RpmRawSignature): RpmSignatureSummary {
  try {
    const info = readSignature(raw.bytes);
    return {
      tag: raw.tag,
      covers: raw.covers,
      ...(info.issuerKeyId === undefined ? {} : { keyId: info.issuerKeyId }),
      ...(info.issuerFingerprint === undefined ? {} : { fingerprint: info.issuerFingerprint }),
      publicKeyAlgorithm: info.publicKeyAlgorithm,
      hashAlgorithm: info.hashAlgorithm,
      created: info.created,
      version: info.version,
    };
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    return {
      tag: raw.tag,
      covers: raw.covers,
      problem: { failure: error.failure, message: error.message },
    };
  }
}

/** Every signature of the package, read but not verified. */
export function listSignatures(headers: RpmHeaders): RpmSignatureSummary[] {
  return rawSignatures(headers).map((raw) => summariseSignature(raw));
}
