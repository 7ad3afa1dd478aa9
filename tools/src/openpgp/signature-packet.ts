import type { SignatureInfo } from './api.ts';
import {
  describeAlgorithm,
  hashSpec,
  requireHash,
  requireSigningAlgorithm,
  v6OnlySignatureSize,
} from './algorithms.ts';
import { ByteReader, toHex, u32Bytes } from './bytes.ts';
import { malformed, unsupported } from './errors.ts';
import {
  creationTime,
  embeddedSignatures,
  issuerFingerprint,
  issuerKeyId,
  keyFlags,
  readSubpackets,
} from './subpackets.ts';

/**
 * The fields of a signature packet (RFC 9580 section 5.2) that do not depend on its algorithms:
 * what can be read, and checked for well-formedness, whether or not these tools implement the
 * public-key and hash algorithms it names.
 */
export interface SignatureLayout {
  readonly version: 3 | 4 | 6;
  readonly type: number;
  readonly created: number;
  readonly publicKeyAlgorithmId: number;
  readonly hashAlgorithmId: number;
  readonly issuerKeyId: string | undefined;
  readonly issuerFingerprint: string | undefined;
  /** v6 only: random bytes hashed before the data. Empty for v3 and v4. */
  readonly salt: Uint8Array;
  /** Bytes hashed after the signed data: the signature's own hashed fields and a trailer. */
  readonly trailer: readonly Uint8Array[];
  /** The first two bytes of the digest, for a quick check before the public-key operation. */
  readonly left16: Uint8Array;
  /** The algorithm-specific signature fields, read by the verifier. */
  readonly material: Uint8Array;
  /** Key usage flags from the hashed area (binding signatures). */
  readonly keyFlags: number | undefined;
  /** Bodies of embedded signature subpackets (the back-signature of a signing subkey). */
  readonly embedded: readonly Uint8Array[];
}

/** A signature packet these tools can verify, with what verification needs. */
export interface SignaturePacket extends SignatureLayout {
  readonly info: SignatureInfo;
}

/**
 * Reads the layout of a signature packet. Throws a `malformed` format error for a packet that
 * breaks the format, and an `unsupported` one for a version whose layout is unknown (5, 7, ...)
 * or a critical subpacket of unknown meaning.
 */
export function readSignatureLayout(body: Uint8Array): SignatureLayout {
  const reader = new ByteReader(body, 'signature packet');
  const version = reader.u8();
  let layout: SignatureLayout;
  switch (version) {
    case 2:
    case 3:
      layout = readV3(reader, body);
      break;
    case 4:
    case 6:
      layout = readV4OrV6(reader, body, version);
      break;
    default:
      throw unsupported(`version ${version} signatures are not supported`);
  }
  checkAlgorithmFields(layout);
  return layout;
}

/** Reads a signature packet that these tools can verify; throws `unsupported` for any other. */
export function readSignaturePacket(body: Uint8Array): SignaturePacket {
  return checkableSignature(readSignatureLayout(body));
}

/** The layout with the algorithms resolved; throws `unsupported` when these tools lack one. */
export function checkableSignature(layout: SignatureLayout): SignaturePacket {
  const publicKeyAlgorithm = requireSigningAlgorithm(layout.publicKeyAlgorithmId);
  const hash = requireHash(layout.hashAlgorithmId);
  return {
    ...layout,
    info: {
      version: layout.version,
      type: layout.type,
      hashAlgorithm: hash.name,
      publicKeyAlgorithm,
      created: layout.created,
      ...(layout.issuerKeyId !== undefined ? { issuerKeyId: layout.issuerKeyId } : {}),
      ...(layout.issuerFingerprint !== undefined
        ? { issuerFingerprint: layout.issuerFingerprint }
        : {}),
    },
  };
}

/** Version 3: fixed fields; the type and creation time are hashed after the data. */
function readV3(reader: ByteReader, body: Uint8Array): SignatureLayout {
  if (reader.u8() !== 5) {
    throw malformed('version 3 signature must hash exactly 5 bytes');
  }
  const hashedStart = reader.position;
  const type = reader.u8();
  const created = reader.u32();
  const hashed = body.subarray(hashedStart, reader.position);
  const keyId = toHex(reader.take(8));
  const publicKeyAlgorithmId = reader.u8();
  const hashAlgorithmId = reader.u8();
  const left16 = reader.take(2);
  return {
    version: 3,
    type,
    created,
    publicKeyAlgorithmId,
    hashAlgorithmId,
    issuerKeyId: keyId,
    issuerFingerprint: undefined,
    salt: new Uint8Array(0),
    trailer: [hashed],
    left16,
    material: reader.rest(),
    keyFlags: undefined,
    embedded: [],
  };
}

/**
 * Versions 4 and 6: subpacket areas (2-byte lengths in v4, 4-byte in v6), and v6 adds a salt
 * whose length the hash algorithm fixes. The hashed part runs from the version byte to the end
 * of the hashed subpackets, and is followed in the hash by the version, 0xFF and its length as
 * a 4-byte number.
 */
function readV4OrV6(reader: ByteReader, body: Uint8Array, version: 4 | 6): SignatureLayout {
  const type = reader.u8();
  const publicKeyAlgorithmId = reader.u8();
  const hashAlgorithmId = reader.u8();
  const areaLength = () => (version === 6 ? reader.u32() : reader.u16());
  const hashedArea = reader.take(areaLength());
  const hashedPart = body.subarray(0, reader.position);
  const unhashedArea = reader.take(areaLength());
  const left16 = reader.take(2);
  let salt: Uint8Array = new Uint8Array(0);
  if (version === 6) {
    salt = reader.take(reader.u8());
    checkSalt(salt, hashAlgorithmId);
  }
  const hashed = readSubpackets(hashedArea, true);
  const unhashed = readSubpackets(unhashedArea, false);
  const fingerprint = issuerFingerprint(hashed, unhashed);
  return {
    version,
    type,
    created: creationTime(hashed),
    publicKeyAlgorithmId,
    hashAlgorithmId,
    issuerKeyId: issuerKeyId(hashed, unhashed) ?? keyIdOfFingerprint(fingerprint),
    issuerFingerprint: fingerprint,
    salt,
    trailer: [hashedPart, Uint8Array.of(version, 0xff), u32Bytes(hashedPart.length)],
    left16,
    material: reader.rest(),
    keyFlags: keyFlags(hashed),
    embedded: embeddedSignatures(hashed, unhashed),
  };
}

/** A v6 salt must have the length its hash algorithm fixes; unassigned hash ids cannot be checked. */
function checkSalt(salt: Uint8Array, hashAlgorithmId: number): void {
  const hash = hashSpec(hashAlgorithmId);
  if (hash === undefined) {
    return;
  }
  if (hash.v6SaltLength === undefined) {
    throw malformed(`version 6 signatures may not use ${hash.label}`);
  }
  if (salt.length !== hash.v6SaltLength) {
    throw malformed(`version 6 signature salt is ${salt.length} bytes, not ${hash.v6SaltLength}`);
  }
}

/**
 * The post-quantum algorithms have fixed-size signature fields and exist only in version 6
 * signatures, so those parts of a signature can be checked without implementing them.
 */
function checkAlgorithmFields(layout: SignatureLayout): void {
  const size = v6OnlySignatureSize(layout.publicKeyAlgorithmId);
  if (size === undefined) {
    return;
  }
  const algorithm = describeAlgorithm(layout.publicKeyAlgorithmId);
  if (layout.version !== 6) {
    throw malformed(`${algorithm} is only allowed in version 6 signatures`);
  }
  if (layout.material.length !== size) {
    throw malformed(
      `${algorithm} signature fields are ${layout.material.length} bytes, not ${size}`,
    );
  }
}

/** The key id a fingerprint implies: its low 64 bits for v4 keys, its high 64 bits for v6. */
export function keyIdOfFingerprint(fingerprint: string | undefined): string | undefined {
  if (fingerprint === undefined) {
    return undefined;
  }
  return fingerprint.length === 64 ? fingerprint.slice(0, 16) : fingerprint.slice(-16);
}
