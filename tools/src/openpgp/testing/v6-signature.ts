import { createHash } from 'node:crypto';

/**
 * Test support: version 6 signature packets (RFC 9580 section 5.2.3) by algorithms these tools
 * cannot check, such as ML-DSA-87+Ed448, laid out as the format requires but with stand-in bytes
 * where the salt, the digest prefix and the signature fields go. Nothing can verify them; they
 * serve to check how such signatures are read and skipped.
 */

export const ML_DSA_87_ED448 = 31;
/** Ed448 signature then ML-DSA-87 signature (draft-ietf-openpgp-pqc). */
export const ML_DSA_87_ED448_SIGNATURE_BYTES = 114 + 4627;
const SHA2_512 = 10;

export interface V6SignatureOptions {
  readonly publicKeyAlgorithmId?: number;
  readonly hashAlgorithmId?: number;
  readonly saltLength?: number;
  readonly signatureBytes?: number;
  readonly created?: number;
  /** The 32-byte fingerprint of the v6 key the signature names as its issuer. */
  readonly issuer?: Uint8Array;
  /** Varies the stand-in bytes. */
  readonly seed?: string;
}

/** Bytes that look random, the same for the same seed. */
export function pseudoRandom(length: number, seed: string): Uint8Array {
  const out = Buffer.alloc(length);
  for (let block = 0; block * 32 < length; block++) {
    createHash('sha256')
      .update(`${seed}:${block}`)
      .digest()
      .copy(out, block * 32);
  }
  return new Uint8Array(out);
}

const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

function subpacket(type: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}

/** The body of a v6 binary-document signature packet; defaults to ML-DSA-87+Ed448 with SHA2-512. */
export function v6SignatureBody(options: V6SignatureOptions = {}): Uint8Array {
  const seed = options.seed ?? 'v6';
  const issuer = options.issuer ?? pseudoRandom(32, `${seed}:issuer`);
  const hashed = Buffer.concat([
    subpacket(0x80 | 2, u32(options.created ?? 1_760_000_000)),
    subpacket(33, Buffer.concat([Buffer.from([6]), issuer])),
  ]);
  const saltLength = options.saltLength ?? 32;
  return Buffer.concat([
    Buffer.from([
      6,
      0x00,
      options.publicKeyAlgorithmId ?? ML_DSA_87_ED448,
      options.hashAlgorithmId ?? SHA2_512,
    ]),
    u32(hashed.length),
    hashed,
    u32(0),
    pseudoRandom(2, `${seed}:left16`),
    Buffer.from([saltLength]),
    pseudoRandom(saltLength, `${seed}:salt`),
    pseudoRandom(options.signatureBytes ?? ML_DSA_87_ED448_SIGNATURE_BYTES, `${seed}:fields`),
  ]);
}

/** A whole signature packet: the body behind a current-format header with a 5-byte length. */
export function v6SignaturePacket(options: V6SignatureOptions = {}): Uint8Array {
  const body = v6SignatureBody(options);
  return Buffer.concat([Buffer.from([0xc0 | 2, 0xff]), u32(body.length), body]);
}
