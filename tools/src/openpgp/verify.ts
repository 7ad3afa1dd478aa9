import { describeAlgorithm } from './algorithms.ts';
import type {
  Keyring,
  PublicKey,
  PublicKeyAlgorithm,
  SignatureDescription,
  SignatureInfo,
  VerifiedSignature,
} from './api.ts';
import { dearmor, looksBinary } from './armor.ts';
import { OpenPgpFormatError, SignatureError, malformed, withSubject } from './errors.ts';
import { internalsOf } from './key-store.ts';
import { PacketTag, readPackets } from './packets.ts';
import { TEXT_SIGNATURE, signatureMatches } from './signature-check.ts';
import {
  checkableSignature,
  readSignatureLayout,
  readSignaturePacket,
} from './signature-packet.ts';
import type { SignaturePacket } from './signature-packet.ts';

const BINARY_SIGNATURE = 0x00;

const ALGORITHM_LABELS: Readonly<Record<PublicKeyAlgorithm, string>> = {
  rsa: 'RSA',
  dsa: 'DSA',
  ecdsa: 'ECDSA',
  eddsa: 'EdDSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
};

/**
 * Reads a detached signature, armored (`-----BEGIN PGP SIGNATURE-----`) or binary. When the data
 * holds several signatures, describes the first one.
 */
export function readSignature(bytes: Uint8Array, subject = 'OpenPGP signature'): SignatureInfo {
  const [first] = withSubject(subject, 'cannot read the signature', () => readSignatures(bytes));
  if (first === undefined) {
    throw new SignatureError('malformed', subject, 'no signature found');
  }
  return first.info;
}

/**
 * Verifies a detached signature over `data` (one buffer, or chunks hashed in order) with a key
 * from `keyring`. `subject` names what is being verified (a file, a package) in errors. When the
 * signature data holds several signatures, one that verifies is enough.
 *
 * Throws a {@link SignatureError}: `malformed` or `unsupported` for signature data that cannot be
 * used, `no-key` when no key in the keyring made it, `bad-signature` when the data does not match.
 */
export function verifySignature(
  signature: Uint8Array,
  data: Uint8Array | readonly Uint8Array[],
  keyring: Keyring,
  subject: string,
): VerifiedSignature {
  const chunks = data instanceof Uint8Array ? [data] : data;
  const signatures = withSubject(subject, 'cannot read the signature', () =>
    readSignatures(signature),
  );
  const failures: SignatureError[] = [];
  for (const packet of signatures) {
    try {
      return verifyOne(packet, chunks, keyring, subject);
    } catch (err) {
      if (!(err instanceof SignatureError)) {
        throw err;
      }
      failures.push(err);
    }
  }
  // A signature that was checked and failed says more than one whose key is simply missing.
  const worst = failures.find((err) => err.failure !== 'no-key') ?? failures[0];
  throw worst ?? new SignatureError('malformed', subject, 'no signature found');
}

/**
 * Describes the first signature of the data, armored or binary, including one by an algorithm
 * these tools do not implement (see {@link SignatureDescription}). Throws a
 * {@link SignatureError}: `malformed` for data that breaks the format, `unsupported` for a
 * signature version whose layout is unknown.
 */
export function describeSignature(
  bytes: Uint8Array,
  subject = 'OpenPGP signature',
): SignatureDescription {
  return withSubject(subject, 'cannot read the signature', () => {
    const [body] = signatureBodies(bytes);
    if (body === undefined) {
      throw malformed('the data holds no signature packet');
    }
    const layout = readSignatureLayout(body);
    let checkable: { info: SignatureInfo } | { unsupported: string };
    try {
      checkable = { info: checkableSignature(layout).info };
    } catch (err) {
      if (!(err instanceof OpenPgpFormatError)) {
        throw err;
      }
      checkable = { unsupported: err.message };
    }
    return {
      version: layout.version,
      type: layout.type,
      created: layout.created,
      publicKeyAlgorithmId: layout.publicKeyAlgorithmId,
      hashAlgorithmId: layout.hashAlgorithmId,
      algorithm: describeAlgorithm(layout.publicKeyAlgorithmId),
      ...(layout.issuerKeyId !== undefined ? { issuerKeyId: layout.issuerKeyId } : {}),
      ...(layout.issuerFingerprint !== undefined
        ? { issuerFingerprint: layout.issuerFingerprint }
        : {}),
      ...checkable,
    };
  });
}

function signatureBodies(bytes: Uint8Array): Uint8Array[] {
  const blocks = looksBinary(bytes) ? [bytes] : dearmor(bytes, 'SIGNATURE');
  const bodies = blocks
    .flatMap((block) => readPackets(block, 'signature data'))
    .filter((packet) => packet.tag === PacketTag.signature)
    .map((packet) => packet.body);
  if (bodies.length === 0) {
    throw malformed('the data holds no signature packet');
  }
  return bodies;
}

function readSignatures(bytes: Uint8Array): SignaturePacket[] {
  const bodies = signatureBodies(bytes);
  const signatures: SignaturePacket[] = [];
  const problems: OpenPgpFormatError[] = [];
  for (const body of bodies) {
    try {
      signatures.push(readSignaturePacket(body));
    } catch (err) {
      if (!(err instanceof OpenPgpFormatError)) {
        throw err;
      }
      problems.push(err);
    }
  }
  if (signatures.length === 0) {
    throw problems[0] ?? malformed('the data holds no signature packet');
  }
  return signatures;
}

function verifyOne(
  signature: SignaturePacket,
  data: readonly Uint8Array[],
  keyring: Keyring,
  subject: string,
): VerifiedSignature {
  const { info } = signature;
  if (info.type !== BINARY_SIGNATURE && info.type !== TEXT_SIGNATURE) {
    throw new SignatureError(
      'unsupported',
      subject,
      `signature of type 0x${info.type.toString(16).padStart(2, '0')} is not a signature over a document`,
    );
  }
  const issuer = info.issuerKeyId ?? '(no issuer named)';
  const candidates = candidateKeys(keyring, signature);
  if (candidates.length === 0) {
    throw new SignatureError(
      'no-key',
      subject,
      `signed with key ${issuer}, which is not among the trusted keys`,
    );
  }
  for (const key of candidates) {
    const internals = internalsOf(key);
    if (internals === undefined) {
      throw new SignatureError(
        'unsupported',
        subject,
        `key ${key.keyId} in the keyring was not read with readPublicKeys, so it cannot verify`,
        { hint: 'build keyrings from the keys readPublicKeys returns' },
      );
    }
    const valid = withSubject(subject, 'cannot check the signature', () =>
      signatureMatches(signature, internals.packet, data),
    );
    if (valid) {
      return { signature: info, key, primary: internals.primary ?? key };
    }
  }
  throw new SignatureError(
    'bad-signature',
    subject,
    `the ${ALGORITHM_LABELS[info.publicKeyAlgorithm]} signature by key ${issuer} does not match the data`,
  );
}

/**
 * The keys that may have made a signature: the one its issuer fingerprint names, else those
 * with its issuer key id (64-bit ids can collide, so all are tried), else, for a signature that
 * names no issuer, every key of its algorithm.
 */
function candidateKeys(keyring: Keyring, signature: SignaturePacket): PublicKey[] {
  const { issuerFingerprint, issuerKeyId, publicKeyAlgorithm } = signature.info;
  if (issuerFingerprint !== undefined) {
    const key = keyring.findByFingerprint(issuerFingerprint);
    if (key !== undefined) {
      return [key];
    }
  }
  const all = keyring.keys.flatMap((key) => [key, ...key.subkeys]);
  if (issuerKeyId !== undefined) {
    const found = keyring.findByKeyId(issuerKeyId);
    const matching = all.filter((key) => key.keyId === issuerKeyId && key !== found);
    return found === undefined ? matching : [found, ...matching];
  }
  return all.filter((key) => key.algorithm === publicKeyAlgorithm);
}
