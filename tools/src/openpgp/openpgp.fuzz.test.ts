import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { readRpmHeaders } from '../rpm/package-headers.ts';
import { rawSignatures } from '../rpm/signatures.ts';
import { fixture } from '../test-support/fixtures.ts';
import {
  fc,
  fuzzTest,
  isExpectedCause,
  mutatedBytes,
  mutatedLines,
  seedsAndMutants,
} from '../test-support/fuzz.ts';
import type { Mutated } from '../test-support/fuzz.ts';
import { dearmor } from './armor.ts';
import { OpenPgpFormatError, SignatureError } from './errors.ts';
import { createKeyring } from './keyring.ts';
import { readKeyPacket } from './key-packet.ts';
import { readPackets } from './packets.ts';
import { readPublicKeys } from './read-keys.ts';
import { readSignaturePacket } from './signature-packet.ts';
import { describeSignature, readSignature, verifySignature } from './verify.ts';
import type { Keyring } from './api.ts';

// Keys and signatures made here with node:crypto, laid out as RFC 9580 describes version 4.

const CREATED = 1_700_000_000;
const DATA = new TextEncoder().encode('the document that was signed\n');

const u16 = (value: number) => Uint8Array.of(value >> 8, value & 0xff);
const u32 = (value: number) =>
  Uint8Array.of(value >>> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function mpi(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  return concat(u16((digits.length - 1) * 8 + (32 - Math.clz32(digits[0] ?? 0))), digits);
}

/** A packet in the current format with a five-byte length. */
const packet = (tag: number, body: Uint8Array) =>
  concat(Uint8Array.of(0xc0 | tag, 0xff), u32(body.length), body);
const subpacket = (type: number, body: Uint8Array) =>
  concat(Uint8Array.of(body.length + 1, type), body);

interface MadeKey {
  readonly privateKey: KeyObject;
  readonly algorithm: number;
  readonly body: Uint8Array;
  readonly fingerprint: Uint8Array;
}

function v4Key(algorithm: number, material: Uint8Array, privateKey: KeyObject): MadeKey {
  const body = concat(Uint8Array.of(4), u32(CREATED), Uint8Array.of(algorithm), material);
  const fingerprint = createHash('sha1')
    .update(Uint8Array.of(0x99))
    .update(u16(body.length))
    .update(body)
    .digest();
  return { privateKey, algorithm, body, fingerprint: new Uint8Array(fingerprint) };
}

function rsaKey(): MadeKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const n = Buffer.from(jwk.n ?? '', 'base64url');
  const e = Buffer.from(jwk.e ?? '', 'base64url');
  return v4Key(1, concat(mpi(n), mpi(e)), privateKey);
}

const ED25519_OID = Uint8Array.of(0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01);

function eddsaKey(): MadeKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const point = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const material = concat(
    Uint8Array.of(ED25519_OID.length),
    ED25519_OID,
    mpi(concat(Uint8Array.of(0x40), point)),
  );
  return v4Key(22, material, privateKey);
}

/** A version 4 binary-document signature by `key` over `data`, SHA-256. */
function v4Signature(key: MadeKey, data: Uint8Array, type = 0x00): Uint8Array {
  const hashed = concat(
    subpacket(2, u32(CREATED)),
    subpacket(33, concat(Uint8Array.of(4), key.fingerprint)),
  );
  const head = concat(Uint8Array.of(4, type, key.algorithm, 8), u16(hashed.length), hashed);
  const trailer = concat(Uint8Array.of(4, 0xff), u32(head.length));
  const input = concat(data, head, trailer);
  const digest = createHash('sha256').update(input).digest();
  let values: Uint8Array;
  if (key.algorithm === 1) values = mpi(sign('sha256', input, key.privateKey));
  else {
    const raw = sign(null, digest, key.privateKey);
    values = concat(mpi(raw.subarray(0, 32)), mpi(raw.subarray(32)));
  }
  const unhashed = subpacket(16, key.fingerprint.subarray(12));
  return packet(2, concat(head, u16(unhashed.length), unhashed, digest.subarray(0, 2), values));
}

function armored(label: string, bytes: Uint8Array): Uint8Array {
  const lines =
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  const crc = (() => {
    let value = 0xb704ce;
    for (const byte of bytes) {
      value ^= byte << 16;
      for (let bit = 0; bit < 8; bit++) {
        value <<= 1;
        if (value & 0x1000000) value ^= 0x1864cfb;
      }
    }
    return Buffer.from(
      Uint8Array.of((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff),
    ).toString('base64');
  })();
  return new TextEncoder().encode(
    `-----BEGIN PGP ${label}-----\nComment: fuzz seed\n\n${lines.join('\n')}\n=${crc}\n-----END PGP ${label}-----\n`,
  );
}

/** The OpenPGP signatures carried by the RPM fixtures (v3, v4 and v6; RSA, DSA, EdDSA, ML-DSA). */
async function rpmSignatures(): Promise<Uint8Array[]> {
  const found: Uint8Array[] = [];
  const walk = async (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) await walk(path);
      else if (name.endsWith('.rpm') && statSync(path).size < 64 * 1024) {
        try {
          for (const raw of rawSignatures(await readRpmHeaders(path))) {
            if (
              raw.bytes.length > 0 &&
              !found.some((seen) => Buffer.from(seen).equals(raw.bytes))
            ) {
              found.push(raw.bytes);
            }
          }
        } catch {
          // A fixture that is corrupt on purpose has nothing to give here.
        }
      }
    }
  };
  await walk(fixture('rpm'));
  return found;
}

let keyring: Keyring;
let keySeeds: Uint8Array[] = [];
let signatureSeeds: Uint8Array[] = [];
let armorSeeds: string[] = [];

beforeAll(async () => {
  const keys = [rsaKey(), eddsaKey()];
  keySeeds = keys.map((key) =>
    concat(packet(6, key.body), packet(13, new TextEncoder().encode('Fuzz <fuzz@example.org>'))),
  );
  keySeeds.push(concat(...keySeeds));
  keySeeds.push(
    concat(
      packet(6, keys[0]?.body ?? new Uint8Array()),
      packet(14, keys[1]?.body ?? new Uint8Array()),
    ),
  );
  keyring = createKeyring(readPublicKeys(concat(...keySeeds.slice(0, 2))));
  signatureSeeds = [
    ...keys.map((key) => v4Signature(key, DATA)),
    ...keys.map((key) => v4Signature(key, DATA, 0x01)),
    ...(await rpmSignatures()),
  ];
  armorSeeds = [
    ...keySeeds.map((bytes) => armored('PUBLIC KEY BLOCK', bytes)),
    ...signatureSeeds.slice(0, 6).map((bytes) => armored('SIGNATURE', bytes)),
  ].map((bytes) => new TextDecoder().decode(bytes));
}, 60_000);

/** Seeds are made in beforeAll; the arbitraries read them when the property runs. */
const late = (seeds: () => Uint8Array[]): fc.Arbitrary<Mutated> =>
  fc.constant(null).chain(() => seedsAndMutants(seeds()));

const binaryOrArmored = (seeds: () => Uint8Array[], label: string): fc.Arbitrary<Mutated> =>
  fc.oneof(
    late(seeds),
    fc.constant(null).chain(() => mutatedBytes(seeds().map((bytes) => armored(label, bytes)))),
    fc
      .constant(null)
      .chain(() => mutatedLines(armorSeeds, fc.string({ maxLength: 70 })))
      .map((text) => ({ seed: -1, bytes: new TextEncoder().encode(text) })),
  );

const PUBLIC_ERRORS = [SignatureError];

describe('OpenPGP fuzz', () => {
  fuzzTest('ASCII armor decodes or is refused as malformed', {
    parser: 'OpenPGP armor',
    runs: 4000,
    inputs: fc.tuple(
      fc.constant(null).chain(() => mutatedLines(armorSeeds, fc.string({ maxLength: 70 }))),
      fc.constantFrom('SIGNATURE', 'PUBLIC KEY BLOCK'),
    ),
    parse: ([text, label]) => dearmor(new TextEncoder().encode(text), label),
    bytesOf: ([text]) => new TextEncoder().encode(text),
    errors: [OpenPgpFormatError],
  });

  fuzzTest('packets, key packets and signature packets parse or are refused', {
    parser: 'OpenPGP packets',
    runs: 5000,
    inputs: late(() => [...keySeeds, ...signatureSeeds]),
    parse: ({ bytes }) =>
      readPackets(bytes, 'fuzz data').map((found) => {
        if (found.tag === 6 || found.tag === 14) return readKeyPacket(found.body);
        if (found.tag === 2) return readSignaturePacket(found.body);
        return found;
      }),
    errors: [OpenPgpFormatError],
    // Key packets build node:crypto keys, which refuse bad key material with their own errors.
    alsoAccept: isExpectedCause,
  });

  fuzzTest('public keys read or are refused with a SignatureError', {
    parser: 'OpenPGP public keys',
    runs: 4000,
    inputs: binaryOrArmored(() => keySeeds, 'PUBLIC KEY BLOCK'),
    parse: ({ bytes }) => readPublicKeys(bytes, 'fuzz key'),
    errors: PUBLIC_ERRORS,
  });

  fuzzTest('signatures are read, described and verified, or refused with a SignatureError', {
    parser: 'OpenPGP signatures',
    runs: 4000,
    inputs: binaryOrArmored(() => signatureSeeds, 'SIGNATURE'),
    parse: ({ bytes }) => {
      const description = describeSignature(bytes, 'fuzz signature');
      if (description.info !== undefined) readSignature(bytes, 'fuzz signature');
      return verifySignature(bytes, [DATA.subarray(0, 7), DATA.subarray(7)], keyring, 'fuzz data');
    },
    errors: PUBLIC_ERRORS,
  });
});
