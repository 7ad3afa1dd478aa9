import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, readPublicKeys, readSignature, verifySignature } from './index.ts';
import type { PublicKey } from './index.ts';
import { failureOf } from './testing/failures.ts';

/**
 * Packets built by hand and signed with node:crypto, for what GnuPG no longer makes (version 3
 * signatures as found in old RPMs, MD5) or will not make (a subkey binding without the subkey's
 * back-signature, a revoked signing subkey, unknown critical subpackets).
 */

const CREATED = 1_700_000_000;
const DATA = Buffer.from('the signed document\n');
const HASH_IDS = { md5: 1, sha1: 2, sha256: 8 } as const;
type HashName = keyof typeof HASH_IDS;

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

function mpi(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) {
    start++;
  }
  const digits = magnitude.subarray(start);
  const bits = (digits.length - 1) * 8 + (32 - Math.clz32(digits[0] ?? 0));
  return Buffer.concat([u16(bits), digits]);
}

function packet(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xc0 | tag, 0xff]), u32(body.length), body]);
}

function subpacket(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([body.length + 1, type]), body]);
}

interface TestKey {
  readonly privateKey: KeyObject;
  /** Public key packet body (version 4, RSA). */
  readonly body: Buffer;
  readonly keyId: Buffer;
}

function rsaKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const jwk = publicKey.export({ format: 'jwk' });
  const n = Buffer.from(jwk.n ?? '', 'base64url');
  const e = Buffer.from(jwk.e ?? '', 'base64url');
  const body = Buffer.concat([Buffer.from([4]), u32(CREATED), Buffer.from([1]), mpi(n), mpi(e)]);
  const fingerprint = createHash('sha1')
    .update(Buffer.from([0x99]))
    .update(u16(body.length))
    .update(body)
    .digest();
  return { privateKey, body, keyId: fingerprint.subarray(12) };
}

/** How a key enters the hash of a signature over it. */
function keyHashInput(key: TestKey): Buffer {
  return Buffer.concat([Buffer.from([0x99]), u16(key.body.length), key.body]);
}

function signed(
  hash: HashName,
  signer: KeyObject,
  input: Buffer,
): { left16: Buffer; value: Buffer } {
  return {
    left16: createHash(hash).update(input).digest().subarray(0, 2),
    value: mpi(sign(hash, input, signer)),
  };
}

function v3Signature(signer: TestKey, hash: HashName, data: Buffer): Buffer {
  const hashed = Buffer.concat([Buffer.from([0x00]), u32(CREATED)]);
  const { left16, value } = signed(hash, signer.privateKey, Buffer.concat([data, hashed]));
  const fields = Buffer.concat([
    Buffer.from([3, 5]),
    hashed,
    signer.keyId,
    Buffer.from([1, HASH_IDS[hash]]),
  ]);
  return packet(2, Buffer.concat([fields, left16, value]));
}

interface V4Options {
  readonly type?: number;
  readonly hashed?: readonly Buffer[];
  readonly withIssuer?: boolean;
}

function v4Signature(signer: TestKey, data: Buffer, options: V4Options = {}): Buffer {
  const hashedArea = Buffer.concat([subpacket(2, u32(CREATED)), ...(options.hashed ?? [])]);
  const hashedPart = Buffer.concat([
    Buffer.from([4, options.type ?? 0x00, 1, HASH_IDS.sha256]),
    u16(hashedArea.length),
    hashedArea,
  ]);
  const trailer = Buffer.concat([Buffer.from([4, 0xff]), u32(hashedPart.length)]);
  const { left16, value } = signed(
    'sha256',
    signer.privateKey,
    Buffer.concat([data, hashedPart, trailer]),
  );
  const unhashed = options.withIssuer === false ? Buffer.alloc(0) : subpacket(16, signer.keyId);
  return packet(2, Buffer.concat([hashedPart, u16(unhashed.length), unhashed, left16, value]));
}

const primary = rsaKey();
const signingSubkey = rsaKey();
const keyFile = (...after: Buffer[]): PublicKey[] =>
  readPublicKeys(
    Buffer.concat([
      packet(6, primary.body),
      packet(13, Buffer.from('Crafted <c@example.org>')),
      ...after,
    ]),
  );

describe('version 3 signatures', () => {
  it.each(['md5', 'sha1', 'sha256'] as const)('verify with %s, as old RPMs sign', (hash) => {
    const signature = v3Signature(primary, hash, DATA);
    expect(readSignature(signature)).toEqual({
      version: 3,
      type: 0,
      hashAlgorithm: hash,
      publicKeyAlgorithm: 'rsa',
      created: CREATED,
      issuerKeyId: primary.keyId.toString('hex').toUpperCase(),
    });
    const keyring = createKeyring(keyFile());
    expect(
      verifySignature(signature, [DATA.subarray(0, 5), DATA.subarray(5)], keyring, 'old.rpm').key
        .keyId,
    ).toBe(primary.keyId.toString('hex').toUpperCase());
    expect(
      failureOf(() => verifySignature(signature, Buffer.from('other'), keyring, 'old.rpm')),
    ).toBe('bad-signature');
  });
});

describe('signatures that name no issuer', () => {
  it('are checked against every key of their algorithm', () => {
    const signature = v4Signature(primary, DATA, { withIssuer: false });
    expect(readSignature(signature).issuerKeyId).toBeUndefined();
    expect(verifySignature(signature, DATA, createKeyring(keyFile()), 'doc').key.fingerprint).toBe(
      keyFile()[0]?.fingerprint,
    );
    expect(failureOf(() => verifySignature(signature, DATA, createKeyring([]), 'doc'))).toBe(
      'no-key',
    );
  });
});

describe('signatures that cannot be used', () => {
  it('refuses a key certification passed as a document signature', () => {
    const signature = v4Signature(primary, DATA, { type: 0x13 });
    expect(failureOf(() => verifySignature(signature, DATA, createKeyring(keyFile()), 'doc'))).toBe(
      'unsupported',
    );
  });

  it('refuses a signature with an unknown critical subpacket', () => {
    const signature = v4Signature(primary, DATA, {
      hashed: [subpacket(0x80 | 100, Buffer.from([1]))],
    });
    expect(failureOf(() => verifySignature(signature, DATA, createKeyring(keyFile()), 'doc'))).toBe(
      'unsupported',
    );
  });
});

describe('signing subkeys', () => {
  const bindingInput = Buffer.concat([keyHashInput(primary), keyHashInput(signingSubkey)]);
  const backSignature = v4Signature(signingSubkey, bindingInput, { type: 0x19 }).subarray(6);
  const signFlags = subpacket(27, Buffer.from([0x02]));
  const subkeyPacket = packet(14, signingSubkey.body);
  const subkeyId = signingSubkey.keyId.toString('hex').toUpperCase();
  const subkeysOf = (...signatures: Buffer[]): string[] =>
    keyFile(subkeyPacket, ...signatures)[0]?.subkeys.map((key) => key.keyId) ?? [];

  it('are kept when bound by the primary and signed back', () => {
    const binding = v4Signature(primary, bindingInput, {
      type: 0x18,
      hashed: [signFlags, subpacket(32, backSignature)],
    });
    expect(subkeysOf(binding)).toEqual([subkeyId]);
    const keyring = createKeyring(keyFile(subkeyPacket, binding));
    const verified = verifySignature(v4Signature(signingSubkey, DATA), DATA, keyring, 'doc');
    expect(verified.key.keyId).toBe(subkeyId);
    expect(verified.primary.userIds).toEqual(['Crafted <c@example.org>']);
  });

  it('are dropped without the back-signature, or when only allowed to encrypt', () => {
    expect(
      subkeysOf(v4Signature(primary, bindingInput, { type: 0x18, hashed: [signFlags] })),
    ).toEqual([]);
    const encryptOnly = subpacket(27, Buffer.from([0x0c]));
    const binding = v4Signature(primary, bindingInput, {
      type: 0x18,
      hashed: [encryptOnly, subpacket(32, backSignature)],
    });
    expect(subkeysOf(binding)).toEqual([]);
  });

  it('are dropped when the binding is made by another key or the subkey is revoked', () => {
    const forged = v4Signature(signingSubkey, bindingInput, {
      type: 0x18,
      hashed: [signFlags, subpacket(32, backSignature)],
    });
    expect(subkeysOf(forged)).toEqual([]);
    const binding = v4Signature(primary, bindingInput, {
      type: 0x18,
      hashed: [signFlags, subpacket(32, backSignature)],
    });
    const revocation = v4Signature(primary, bindingInput, { type: 0x28 });
    expect(subkeysOf(binding, revocation)).toEqual([]);
  });
});
