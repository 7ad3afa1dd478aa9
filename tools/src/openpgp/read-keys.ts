import { describeAlgorithm } from './algorithms.ts';
import type { PublicKey, PublicKeyAlgorithm } from './api.ts';
import { dearmor, looksBinary } from './armor.ts';
import { OpenPgpFormatError, malformed, unsupported, withSubject } from './errors.ts';
import type { VerifierKey } from './key-material.ts';
import { readKeyPacket } from './key-packet.ts';
import type { KeyPacket } from './key-packet.ts';
import { remember } from './key-store.ts';
import { PacketTag, readPackets } from './packets.ts';
import type { Packet } from './packets.ts';
import { isBoundSigningSubkey } from './subkey-binding.ts';

/** Packets allowed before the first key: a marker packet and trust packets from GnuPG keyrings. */
const IGNORABLE_LEADING_TAGS: ReadonlySet<number> = new Set([10, 12]);

/** A user id longer than this is cut short; it is only shown to people. */
const MAX_USER_ID_CHARS = 1024;

type SigningKeyPacket = KeyPacket & {
  readonly algorithm: PublicKeyAlgorithm;
  readonly material: VerifierKey;
};

interface Certificate {
  readonly primary: SigningKeyPacket;
  readonly userIds: string[];
  readonly subkeys: { packet: KeyPacket | undefined; signatures: Uint8Array[] }[];
}

/**
 * Reads the transferable public keys (RFC 9580 section 10.1) in a key file: ASCII-armored, with
 * any number of `PUBLIC KEY BLOCK`s, or binary, as exported by `gpg --export` or stored in a
 * keyring. Keys of unsupported versions or algorithms are skipped, so one odd key does not make
 * a whole keyring unusable; the file fails only when it holds no usable key at all.
 *
 * Only subkeys that are validly bound for signing are kept (see {@link isBoundSigningSubkey}).
 * User ids are listed as found; their certifications are not checked.
 */
export function readPublicKeys(bytes: Uint8Array, subject = 'OpenPGP public key'): PublicKey[] {
  return withSubject(subject, 'cannot read the public key', () => {
    const blocks = looksBinary(bytes) ? [bytes] : dearmor(bytes, 'PUBLIC KEY BLOCK');
    const skipped: OpenPgpFormatError[] = [];
    const keys = blocks.flatMap((block) =>
      splitCertificates(readPackets(block, 'public key data'), skipped).map(toPublicKey),
    );
    if (keys.length === 0) {
      throw skipped[0] ?? malformed('no public key found');
    }
    return keys;
  });
}

function splitCertificates(
  packets: readonly Packet[],
  skipped: OpenPgpFormatError[],
): Certificate[] {
  const certificates: Certificate[] = [];
  let current: Certificate | undefined;
  /** True while skipping the packets of a key that could not be read. */
  let skipping = false;
  for (const packet of packets) {
    if (packet.tag === PacketTag.publicKey) {
      const primary = signingPrimary(tryReadKey(packet.body, skipped), skipped);
      skipping = primary === undefined;
      current = primary === undefined ? undefined : { primary, userIds: [], subkeys: [] };
      if (current !== undefined) {
        certificates.push(current);
      }
    } else if (current !== undefined) {
      addComponent(current, packet, skipped);
    } else if (!skipping && !IGNORABLE_LEADING_TAGS.has(packet.tag)) {
      throw malformed(`expected a public key packet first, found packet type ${packet.tag}`);
    }
  }
  return certificates;
}

function addComponent(
  certificate: Certificate,
  packet: Packet,
  skipped: OpenPgpFormatError[],
): void {
  switch (packet.tag) {
    case PacketTag.userId:
      certificate.userIds.push(
        new TextDecoder('utf-8', { fatal: false })
          .decode(packet.body.subarray(0, MAX_USER_ID_CHARS * 4))
          .slice(0, MAX_USER_ID_CHARS),
      );
      break;
    case PacketTag.publicSubkey:
      certificate.subkeys.push({ packet: tryReadKey(packet.body, skipped), signatures: [] });
      break;
    case PacketTag.signature:
      // Signatures after a subkey bind it; those before any subkey certify the primary key or a
      // user id, which this reader does not need.
      certificate.subkeys.at(-1)?.signatures.push(packet.body);
      break;
    default:
      // User attributes, trust packets and anything newer carry nothing verification needs.
      break;
  }
}

function tryReadKey(body: Uint8Array, skipped: OpenPgpFormatError[]): KeyPacket | undefined {
  try {
    return readKeyPacket(body);
  } catch (err) {
    if (err instanceof OpenPgpFormatError && err.failure === 'unsupported') {
      skipped.push(err);
      return undefined;
    }
    throw err;
  }
}

function signingPrimary(
  packet: KeyPacket | undefined,
  skipped: OpenPgpFormatError[],
): SigningKeyPacket | undefined {
  if (packet === undefined) {
    return undefined;
  }
  const { algorithm, material } = packet;
  if (algorithm === undefined || material === undefined) {
    skipped.push(
      unsupported(
        `primary key ${packet.keyId} uses ${describeAlgorithm(packet.algorithmId)}, not a signature algorithm these tools can check`,
      ),
    );
    return undefined;
  }
  return { ...packet, algorithm, material };
}

function toPublicKey(certificate: Certificate): PublicKey {
  const { primary } = certificate;
  const subkeys: PublicKey[] = [];
  const key: PublicKey = Object.freeze({
    fingerprint: primary.fingerprint,
    keyId: primary.keyId,
    version: primary.version,
    algorithm: primary.algorithm,
    created: primary.created,
    userIds: Object.freeze([...certificate.userIds]),
    subkeys,
  });
  for (const { packet, signatures } of certificate.subkeys) {
    if (packet?.algorithm !== undefined && isBoundSigningSubkey(primary, packet, signatures)) {
      subkeys.push(subkeyOf(key, packet, packet.algorithm));
    }
  }
  Object.freeze(subkeys);
  remember(key, { packet: primary, primary: undefined });
  return key;
}

function subkeyOf(primary: PublicKey, packet: KeyPacket, algorithm: PublicKeyAlgorithm): PublicKey {
  const subkey: PublicKey = Object.freeze({
    fingerprint: packet.fingerprint,
    keyId: packet.keyId,
    version: packet.version,
    algorithm,
    created: packet.created,
    userIds: Object.freeze([]),
    subkeys: Object.freeze([]),
  });
  remember(subkey, { packet, primary });
  return subkey;
}
