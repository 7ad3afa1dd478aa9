import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, readPublicKeys, verifySignature } from './index.ts';
import type { PublicKey } from './index.ts';
import { readPackets } from './packets.ts';
import { failureOf } from './testing/failures.ts';
import { GPG_ALGORITHMS, GpgHome, gpgUserId } from './testing/gpg-home.ts';

/** Key files exported by the host's GnuPG, read and compared with what gpg lists. */

const DATA = Buffer.from('data signed by a subkey\n');

let home: GpgHome;

beforeAll(() => {
  home = GpgHome.create();
}, 60_000);

afterAll(() => {
  home?.dispose();
});

describe.each(GPG_ALGORITHMS)('a $gpgAlgo key', ({ gpgAlgo, algorithm }) => {
  const own = (): PublicKey[] =>
    readPublicKeys(home.exported('--armor', home.key(gpgAlgo).fingerprint));

  it('reads with the fingerprint, key id and date gpg lists', () => {
    const [read, ...rest] = own();
    expect(rest).toEqual([]);
    expect(read).toMatchObject({
      ...home.key(gpgAlgo),
      version: 4,
      algorithm,
      userIds: [gpgUserId(gpgAlgo)],
    });
  });

  it('reads the same from a binary export', () => {
    expect(readPublicKeys(home.exported(home.key(gpgAlgo).fingerprint))).toEqual(own());
  });
});

describe('key files', () => {
  it('reads every key from several armored blocks in one file', () => {
    const blocks = GPG_ALGORITHMS.map(({ gpgAlgo }) =>
      Buffer.from(home.exported('--armor', home.key(gpgAlgo).fingerprint)),
    );
    const keys = readPublicKeys(Buffer.concat(blocks));
    expect(keys.map((k) => k.fingerprint)).toEqual(
      GPG_ALGORITHMS.map(({ gpgAlgo }) => home.key(gpgAlgo).fingerprint),
    );
  });

  it('reads every key from one binary export', () => {
    expect(readPublicKeys(home.exported())).toHaveLength(GPG_ALGORITHMS.length);
  });

  it('rejects an armored key whose checksum does not match', () => {
    const text = Buffer.from(home.exported('--armor', home.key('rsa2048').fingerprint)).toString();
    const broken = text.replace(
      /\n=(.)(...)\n/,
      (_, first: string, rest: string) => `\n=${first === 'A' ? 'B' : 'A'}${rest}\n`,
    );
    expect(broken).not.toBe(text);
    expect(failureOf(() => readPublicKeys(Buffer.from(broken)))).toBe('malformed');
  });
});

describe('signing subkeys', () => {
  it('verifies a signature by a subkey and reports its primary key', () => {
    const bound = home.subkey();
    const keys = readPublicKeys(home.exported('--armor', home.key('ed25519').fingerprint));
    expect(keys[0]?.subkeys).toMatchObject([{ ...bound, algorithm: 'rsa' }]);
    const keyring = createKeyring(keys);
    expect(keyring.findByKeyId(bound.keyId.toLowerCase())?.fingerprint).toBe(bound.fingerprint);
    const verified = verifySignature(home.sign(bound.fingerprint, DATA), DATA, keyring, 'data.bin');
    expect(verified.key.fingerprint).toBe(bound.fingerprint);
    expect(verified.primary.fingerprint).toBe(home.key('ed25519').fingerprint);
    expect(verified.primary.userIds).toEqual([gpgUserId('ed25519')]);
  });

  it('ignores a subkey copied onto another key, since its binding does not verify there', () => {
    const bound = home.subkey();
    const withSubkey = home.exported(home.key('ed25519').fingerprint);
    const packets = readPackets(withSubkey, 'key');
    const subkeyIndex = packets.findIndex((packet) => packet.tag === 14);
    const before = packets[subkeyIndex - 1]?.body;
    if (before === undefined) {
      throw new Error('gpg did not export the subkey');
    }
    const subkeySection = withSubkey.subarray(
      before.byteOffset - withSubkey.byteOffset + before.length,
    );
    const grafted = Buffer.concat([home.exported(home.key('rsa2048').fingerprint), subkeySection]);
    const [read] = readPublicKeys(grafted);
    expect(read?.fingerprint).toBe(home.key('rsa2048').fingerprint);
    expect(read?.subkeys).toEqual([]);
    const keyring = createKeyring(readPublicKeys(grafted));
    const signature = home.sign(bound.fingerprint, DATA);
    expect(failureOf(() => verifySignature(signature, DATA, keyring, 'data.bin'))).toBe('no-key');
  });
});
