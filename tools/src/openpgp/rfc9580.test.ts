import { describe, expect, it } from 'vitest';
import {
  SignatureError,
  createKeyring,
  readPublicKeys,
  readSignature,
  verifySignature,
} from './index.ts';
import { v6SignaturePacket } from './testing/v6-signature.ts';

/**
 * The sample keys and signatures of RFC 9580 appendix A: the only source of version 6 keys and
 * signatures here, since the host's GnuPG cannot make them.
 */

const V6_CERTIFICATE = `-----BEGIN PGP PUBLIC KEY BLOCK-----

xioGY4d/4xsAAAAg+U2nu0jWCmHlZ3BqZYfQMxmZu52JGggkLq2EVD34laPCsQYf
GwoAAABCBYJjh3/jAwsJBwUVCg4IDAIWAAKbAwIeCSIhBssYbE8GCaaX5NUt+mxy
KwwfHifBilZwj2Ul7Ce62azJBScJAgcCAAAAAK0oIBA+LX0ifsDm185Ecds2v8lw
gyU2kCcUmKfvBXbAf6rhRYWzuQOwEn7E/aLwIwRaLsdry0+VcallHhSu4RN6HWaE
QsiPlR4zxP/TP7mhfVEe7XWPxtnMUMtf15OyA51YBM4qBmOHf+MZAAAAIIaTJINn
+eUBXbki+PSAld2nhJh/LVmFsS+60WyvXkQ1wpsGGBsKAAAALAWCY4d/4wKbDCIh
BssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce62azJAAAAAAQBIKbpGG2dWTX8
j+VjFM21J0hqWlEg+bdiojWnKfA5AQpWUWtnNwDEM0g12vYxoWM8Y81W+bHBw805
I8kWVkXU6vFOi+HWvv/ira7ofJu16NnoUkhclkUrk0mXubZvyl4GBg==
-----END PGP PUBLIC KEY BLOCK-----
`;

/** The signature of the sample cleartext signed message (a v6 text signature). */
const V6_TEXT_SIGNATURE = `-----BEGIN PGP SIGNATURE-----

wpgGARsKAAAAKQWCY5ijYyIhBssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce6
2azJAAAAAGk2IHZJX1AhiJD39eLuPBgiUU9wUA9VHYblySHkBONKU/usJ9BvuAqo
/FvLFuGWMbKAdA+epq7V4HOtAPlBWmU8QOd6aud+aSunHQaaEJ+iTFjP2OMW0KBr
NK2ay45cX1IVAQ==
-----END PGP SIGNATURE-----
`;

const GROCERIES = 'What we need from the grocery store:\n\n- tofu\n- vegetables\n- noodles\n';

const V4_ED25519_LEGACY_KEY =
  'xjMEU/NfCxYJKwYBBAHaRw8BAQdAPwmJlL3ZFu1AUxl5NOSofIBzOhKA1i+AEJkuQ+47JAY=';
const V4_ED25519_LEGACY_SIGNATURE =
  'iF4EABYIAAYFAlX5X5UACgkQjP3hIZeWWpr2IgD/VvkMypjiECY3vZg/2xbBMd/Sftgr9N3lYG4NdWrtM2YBANCcT6EVJ/A44PV/IgHYLy6iyQMyZfps60iehUuuYbQE';

const text = (value: string): Uint8Array => Buffer.from(value);
const base64 = (value: string): Uint8Array => Buffer.from(value, 'base64');

describe('the version 6 sample certificate', () => {
  const keys = () => readPublicKeys(text(V6_CERTIFICATE));

  it('reads with its SHA-256 fingerprint and leaves out the X25519 encryption subkey', () => {
    expect(keys()).toEqual([
      {
        fingerprint: 'CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9',
        keyId: 'CB186C4F0609A697',
        version: 6,
        algorithm: 'ed25519',
        created: 1669824483,
        userIds: [],
        subkeys: [],
      },
    ]);
  });

  it('verifies the sample text signature, with either line ending', () => {
    expect(readSignature(text(V6_TEXT_SIGNATURE))).toMatchObject({
      version: 6,
      type: 1,
      hashAlgorithm: 'sha512',
      publicKeyAlgorithm: 'ed25519',
      issuerKeyId: 'CB186C4F0609A697',
    });
    const keyring = createKeyring(keys());
    for (const message of [GROCERIES, GROCERIES.replaceAll('\n', '\r\n')]) {
      const verified = verifySignature(
        text(V6_TEXT_SIGNATURE),
        text(message),
        keyring,
        'groceries',
      );
      expect(verified.key.version).toBe(6);
    }
    expect(() =>
      verifySignature(
        text(V6_TEXT_SIGNATURE),
        text(GROCERIES.replace('tofu', 'tempeh')),
        keyring,
        'groceries',
      ),
    ).toThrow(expect.objectContaining({ failure: 'bad-signature' }));
  });
});

describe('the sample signature beside a post-quantum one', () => {
  it('verifies: the ML-DSA-87+Ed448 signature these tools cannot check is passed over', () => {
    const keyring = createKeyring(readPublicKeys(text(V6_CERTIFICATE)));
    const both = Buffer.concat([v6SignaturePacket(), readSignatureBytes()]);
    expect(readSignature(both)).toMatchObject({ version: 6, publicKeyAlgorithm: 'ed25519' });
    expect(verifySignature(both, text(GROCERIES), keyring, 'groceries').key.version).toBe(6);
    expect(() =>
      verifySignature(both, text(GROCERIES.replace('tofu', 'tempeh')), keyring, 'groceries'),
    ).toThrow(expect.objectContaining({ failure: 'bad-signature' }));
  });
});

describe('the version 4 Ed25519Legacy sample', () => {
  it('reads the key and verifies its signature over "OpenPGP"', () => {
    const keys = readPublicKeys(base64(V4_ED25519_LEGACY_KEY));
    expect(keys[0]).toMatchObject({
      fingerprint: 'C959BDBAFA32A2F89A153B678CFDE12197965A9A',
      keyId: '8CFDE12197965A9A',
      algorithm: 'eddsa',
    });
    const keyring = createKeyring(keys);
    const signature = base64(V4_ED25519_LEGACY_SIGNATURE);
    expect(verifySignature(signature, text('OpenPGP'), keyring, 'sample').key.keyId).toBe(
      '8CFDE12197965A9A',
    );
    expect(() => verifySignature(signature, text('OpenPGP!'), keyring, 'sample')).toThrow(
      SignatureError,
    );
  });
});

describe('hostile variations of the samples', () => {
  it('throws nothing but SignatureError for any corrupted or truncated byte', () => {
    const keyring = createKeyring(readPublicKeys(text(V6_CERTIFICATE)));
    const keyBytes = Buffer.from(
      V6_CERTIFICATE.split('\n')
        .filter((line) => /^[A-Za-z0-9+/=]+$/.test(line))
        .join(''),
      'base64',
    );
    const signature = readSignatureBytes();
    for (const [bytes, use] of [
      [keyBytes, (b: Uint8Array) => readPublicKeys(b)],
      [signature, (b: Uint8Array) => verifySignature(b, text(GROCERIES), keyring, 'groceries')],
    ] as const) {
      for (let index = 0; index < bytes.length; index++) {
        expectOnlySignatureError(() => use(bytes.subarray(0, index)));
        for (const mask of [0x01, 0x40, 0xff]) {
          const corrupted = Uint8Array.from(bytes);
          corrupted[index] = (corrupted[index] ?? 0) ^ mask;
          expectOnlySignatureError(() => use(corrupted));
        }
      }
    }
  });
});

function readSignatureBytes(): Uint8Array {
  const body = V6_TEXT_SIGNATURE.split('\n').filter((line) => /^[A-Za-z0-9+/=]+$/.test(line));
  return Buffer.from(body.join(''), 'base64');
}

function expectOnlySignatureError(action: () => unknown): void {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
  }
}
