import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, readPublicKeys, readSignature, verifySignature } from './index.ts';
import type { PublicKey } from './index.ts';
import { errorOf, failureOf } from './testing/failures.ts';
import { GPG_ALGORITHMS, GpgHome } from './testing/gpg-home.ts';

/** Detached signatures made by the host's GnuPG, verified here. */

const DATA = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) & 0xff));

let home: GpgHome;

/** XOR masks applied to each byte of a signature in turn. */
const CORRUPTIONS = [0x01, 0x80, 0xff] as const;
const change = (index: number, mask: number) => `byte ${index} ^ 0x${mask.toString(16)}`;

/**
 * The single-byte changes, of those CORRUPTIONS makes, after which a version 4 signature packet
 * as gpg writes it still verifies, in byte order:
 * - the type and body of an unhashed subpacket (gpg puts the issuer key ID there): the signature
 *   does not cover that area, and the key is found through the hashed issuer fingerprint;
 * - a multiprecision integer's bit count changed to another one that gives the same byte length:
 *   the value is read from as many bytes, and RFC 9580 section 3.2 makes an exact count a
 *   requirement of version 6 packets only.
 * Everything else (lengths, hashed fields, the quick-check bytes, the values) must fail.
 */
function harmlessChanges(signature: Uint8Array): string[] {
  const u16 = (at: number) => ((signature[at] ?? 0) << 8) | (signature[at + 1] ?? 0);
  const tag = signature[0] ?? 0;
  const lengthOctets =
    (tag & 0x40) !== 0 ? newFormatLengthOctets(signature[1] ?? 0) : [1, 2, 4][tag & 3];
  if (lengthOctets === undefined) throw new Error('gpg wrote a signature of indeterminate length');
  const body = 1 + lengthOctets;
  expect(signature[body], 'a version 4 signature packet').toBe(4);
  const harmless: string[] = [];
  const unhashedStart = body + 6 + u16(body + 4) + 2;
  const unhashedEnd = unhashedStart + u16(unhashedStart - 2);
  for (let at = unhashedStart; at < unhashedEnd;) {
    const first = signature[at] ?? 0;
    const [octets, length] =
      first < 192
        ? [1, first]
        : first < 255
          ? [2, ((first - 192) << 8) + (signature[at + 1] ?? 0) + 192]
          : [5, Buffer.from(signature).readUInt32BE(at + 1)];
    for (let index = at + octets; index < at + octets + length; index++) {
      harmless.push(...CORRUPTIONS.map((mask) => change(index, mask)));
    }
    at += octets + length;
  }
  // The two quick-check bytes, then the integers to the end of the packet.
  for (let at = unhashedEnd + 2; at < signature.length;) {
    const bits = u16(at);
    const bytes = (count: number) => (count + 7) >> 3;
    for (const mask of CORRUPTIONS) {
      if (bytes(bits ^ mask) === bytes(bits)) harmless.push(change(at + 1, mask));
    }
    at += 2 + bytes(bits);
  }
  return harmless;
}

/** How many octets follow the tag in a new-format packet length starting with `first`. */
function newFormatLengthOctets(first: number): number | undefined {
  if (first < 192) return 1;
  if (first < 224) return 2;
  return first === 255 ? 5 : undefined;
}

beforeAll(() => {
  home = GpgHome.create();
}, 60_000);

afterAll(() => {
  home?.dispose();
});

describe.each(GPG_ALGORITHMS)('a $gpgAlgo key', ({ gpgAlgo, algorithm }) => {
  const own = (): PublicKey[] =>
    readPublicKeys(home.exported('--armor', home.key(gpgAlgo).fingerprint));

  it('verifies a binary detached signature', () => {
    const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA);
    const verified = verifySignature(signature, DATA, createKeyring(own()), 'data.bin');
    expect(verified.key.fingerprint).toBe(home.key(gpgAlgo).fingerprint);
    expect(verified.primary).toBe(verified.key);
    expect(verified.signature).toMatchObject({
      version: 4,
      type: 0,
      publicKeyAlgorithm: algorithm,
      issuerKeyId: home.key(gpgAlgo).keyId,
      issuerFingerprint: home.key(gpgAlgo).fingerprint,
    });
  });

  it('verifies an armored signature over data given in chunks', () => {
    const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA, '--armor');
    expect(Buffer.from(signature).toString()).toContain('-----BEGIN PGP SIGNATURE-----');
    const chunks = [DATA.subarray(0, 1), DATA.subarray(1, 1000), DATA.subarray(1000)];
    expect(verifySignature(signature, chunks, createKeyring(own()), 'data.bin').key.keyId).toBe(
      home.key(gpgAlgo).keyId,
    );
  });

  it('rejects altered data as a bad signature', () => {
    const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA);
    const altered = Buffer.from(DATA);
    altered[2000] = (altered[2000] ?? 0) ^ 1;
    const error = errorOf(() =>
      verifySignature(signature, altered, createKeyring(own()), 'data.bin'),
    );
    expect(error.failure).toBe('bad-signature');
    expect(error.code).toBe('signature-bad');
    expect(error.message).toContain('data.bin');
  });

  it('names the missing key when the keyring does not hold it', () => {
    const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA);
    const others = readPublicKeys(home.exported()).filter(
      (k) => k.keyId !== home.key(gpgAlgo).keyId,
    );
    const error = errorOf(() => verifySignature(signature, DATA, createKeyring(others), 'pkg-1.0'));
    expect(error.failure).toBe('no-key');
    expect(error.code).toBe('signature-no-key');
    expect(error.message).toContain(home.key(gpgAlgo).keyId);
    expect(error.message).toContain('pkg-1.0');
    expect(error.hint).toBeDefined();
  });
});

describe('signature options', () => {
  it.each([
    ['rsa2048', 'SHA1', 'sha1'],
    ['rsa2048', 'SHA512', 'sha512'],
    ['dsa2048', 'SHA512', 'sha512'],
    ['nistp256', 'SHA512', 'sha512'],
    ['ed25519', 'SHA512', 'sha512'],
  ] as const)('verifies a %s signature made with %s', (gpgAlgo, digest, hashAlgorithm) => {
    const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA, '--digest-algo', digest);
    expect(readSignature(signature).hashAlgorithm).toBe(hashAlgorithm);
    const keyring = createKeyring(readPublicKeys(home.exported()));
    expect(verifySignature(signature, DATA, keyring, 'data.bin').key.keyId).toBe(
      home.key(gpgAlgo).keyId,
    );
  });

  it('verifies a text signature whatever the line endings', () => {
    // Trailing blanks are kept; carriage returns before a line feed or at the end are not.
    const text = Buffer.from('first line \t\nsecond line\r\r\n\nlone\rreturn\nlast line\r');
    const signature = home.sign(home.key('rsa2048').fingerprint, text, '--textmode');
    expect(readSignature(signature).type).toBe(1);
    const keyring = createKeyring(readPublicKeys(home.exported()));
    const crlf = Buffer.from(text.toString().replaceAll('\n', '\r\n'));
    for (const variant of [text, crlf, [crlf.subarray(0, 11), crlf.subarray(11)]]) {
      expect(verifySignature(signature, variant, keyring, 'notes.txt').key.keyId).toBe(
        home.key('rsa2048').keyId,
      );
    }
    const altered = Buffer.from(text.toString().replace('second', 'Second'));
    expect(failureOf(() => verifySignature(signature, altered, keyring, 'notes.txt'))).toBe(
      'bad-signature',
    );
  });
});

describe('damaged signatures', () => {
  const keyring = () => createKeyring(readPublicKeys(home.exported()));

  it('reports every truncation of a signature as malformed', () => {
    const signature = home.sign(home.key('rsa2048').fingerprint, DATA);
    const ring = keyring();
    for (let length = 0; length < signature.length; length++) {
      expect(failureOf(() => verifySignature(signature.subarray(0, length), DATA, ring, 'x'))).toBe(
        'malformed',
      );
    }
  });

  it('reports a corrupted signature value as a bad signature', () => {
    for (const { gpgAlgo } of GPG_ALGORITHMS) {
      const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA);
      signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
      expect(failureOf(() => verifySignature(signature, DATA, keyring(), 'x'))).toBe(
        'bad-signature',
      );
    }
  });

  it('reports a cut-off armored signature and plain garbage as malformed', () => {
    const armored = Buffer.from(
      home.sign(home.key('nistp256').fingerprint, DATA, '--armor'),
    ).toString();
    const cut = Buffer.from(armored.slice(0, armored.indexOf('-----END')));
    expect(failureOf(() => verifySignature(cut, DATA, keyring(), 'x'))).toBe('malformed');
    const garbage = Buffer.from('this is not an OpenPGP signature\n');
    expect(failureOf(() => readSignature(garbage))).toBe('malformed');
    expect(failureOf(() => verifySignature(garbage, DATA, keyring(), 'x'))).toBe('malformed');
  });

  it('refuses any single corrupted byte with a SignatureError, unless the change is harmless', () => {
    const ring = keyring();
    for (const { gpgAlgo } of GPG_ALGORITHMS) {
      const signature = home.sign(home.key(gpgAlgo).fingerprint, DATA);
      const accepted: string[] = [];
      for (let index = 0; index < signature.length; index++) {
        for (const mask of CORRUPTIONS) {
          const corrupted = Uint8Array.from(signature);
          corrupted[index] = (corrupted[index] ?? 0) ^ mask;
          if (failureOf(() => verifySignature(corrupted, DATA, ring, 'x')) === 'none') {
            accepted.push(change(index, mask));
          }
        }
      }
      expect(accepted, gpgAlgo).toEqual(harmlessChanges(signature));
    }
  });

  it('throws nothing but SignatureError for a corrupted key file', () => {
    const keys = home.exported(home.key('ed25519').fingerprint);
    for (let index = 0; index < keys.length; index++) {
      const corrupted = Uint8Array.from(keys);
      corrupted[index] = (corrupted[index] ?? 0) ^ 0x55;
      failureOf(() => readPublicKeys(corrupted));
    }
  });
});
