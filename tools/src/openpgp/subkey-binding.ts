import type { KeyPacket } from './key-packet.ts';
import { OpenPgpFormatError } from './errors.ts';
import { readSignaturePacket } from './signature-packet.ts';
import type { SignaturePacket } from './signature-packet.ts';
import { signatureMatches } from './signature-check.ts';

/** Signature types over a primary key and a subkey (RFC 9580 section 5.2.1). */
const SUBKEY_BINDING = 0x18;
const PRIMARY_KEY_BINDING = 0x19;
const SUBKEY_REVOCATION = 0x28;
/** Key flag: this key may sign data. */
const SIGN_DATA = 0x02;

/**
 * Whether a subkey may make signatures on behalf of its primary key. It may when the primary
 * key has bound it with a subkey binding signature that allows signing (or names no usage at
 * all), the subkey has signed the primary back (the embedded primary key binding signature that
 * stops anyone from claiming someone else's signing key as their subkey), and the primary has
 * not revoked it.
 */
export function isBoundSigningSubkey(
  primary: KeyPacket,
  subkey: KeyPacket,
  signatures: readonly Uint8Array[],
): boolean {
  if (subkey.material === undefined) {
    return false;
  }
  const signedData = [...primary.hashInput, ...subkey.hashInput];
  let bound = false;
  for (const body of signatures) {
    const signature = tryRead(body);
    if (signature === undefined) {
      continue;
    }
    const type = signature.info.type;
    if (type === SUBKEY_REVOCATION && matches(signature, primary, signedData)) {
      return false;
    }
    if (
      type === SUBKEY_BINDING &&
      !bound &&
      allowsSigning(signature) &&
      matches(signature, primary, signedData) &&
      hasBackSignature(signature, subkey, signedData)
    ) {
      bound = true;
    }
  }
  return bound;
}

function allowsSigning(binding: SignaturePacket): boolean {
  return binding.keyFlags === undefined || (binding.keyFlags & SIGN_DATA) !== 0;
}

function hasBackSignature(
  binding: SignaturePacket,
  subkey: KeyPacket,
  signedData: readonly Uint8Array[],
): boolean {
  return binding.embedded.some((body) => {
    const back = tryRead(body);
    return (
      back !== undefined &&
      back.info.type === PRIMARY_KEY_BINDING &&
      matches(back, subkey, signedData)
    );
  });
}

function matches(
  signature: SignaturePacket,
  key: KeyPacket,
  signedData: readonly Uint8Array[],
): boolean {
  try {
    return signatureMatches(signature, key, signedData);
  } catch (err) {
    if (err instanceof OpenPgpFormatError) {
      return false;
    }
    throw err;
  }
}

/** Key files collect signatures from many tools; one this reader cannot use is skipped. */
function tryRead(body: Uint8Array): SignaturePacket | undefined {
  try {
    return readSignaturePacket(body);
  } catch (err) {
    if (err instanceof OpenPgpFormatError) {
      return undefined;
    }
    throw err;
  }
}
