import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyPinError, loadPinnedKey, loadVariant, openpgpFingerprint } from './index.ts';

const FIXTURES =
  process.env['LEVITATE_FIXTURES'] ??
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'fixtures');
const ALPINE_KEYS = join(FIXTURES, 'keys', 'alpine');

describe('Alpine keys pinned by acorn', () => {
  it.each(['acorn', 'iuppiter'])(
    '%s: every pinned key loads from the key folder and matches',
    async (name) => {
      const spec = await loadVariant(name);
      for (const key of spec.keys) {
        const pinned = await loadPinnedKey(key, [join(FIXTURES, 'keys', 'test'), ALPINE_KEYS]);
        expect(pinned.file).toBe(join(ALPINE_KEYS, key.name));
        expect(pinned.sha256).toBe(key.sha256);
      }
    },
  );

  it('refuses a file that does not match its pin and names both digests', async () => {
    const spec = await loadVariant('acorn');
    const [first, second] = spec.keys;
    if (!first || !second) throw new Error('acorn pins at least two keys');
    const wrong = { ...first, name: second.name };
    await expect(loadPinnedKey(wrong, [ALPINE_KEYS])).rejects.toMatchObject({
      code: 'key-mismatch',
      message: expect.stringContaining(`but the variant pins ${first.sha256}`) as string,
    });
  });

  it('says where to download a key that is missing', async () => {
    const spec = await loadVariant('levitate');
    const rocky = spec.keys[0];
    if (!rocky) throw new Error('levitate pins the Rocky key');
    const error = await loadPinnedKey(rocky, [ALPINE_KEYS]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(KeyPinError);
    expect(error).toMatchObject({
      code: 'key-missing',
      hint: `download it from ${rocky.url} into one of those folders`,
    });
  });
});

describe('OpenPGP fingerprints', () => {
  let home: string;
  let armored: Buffer;
  let fingerprint: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'gnupg-'));
    const gpg = (...args: string[]) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    gpg(
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-gen-key',
      'Test Signing <test@example.org>',
      'rsa2048',
      'sign',
      'never',
    );
    armored = gpg('--armor', '--export', 'test@example.org');
    const colons = gpg('--with-colons', '--fingerprint', 'test@example.org').toString();
    fingerprint = /^fpr:+([0-9A-F]+):/m.exec(colons)?.[1] ?? '';
  }, 60_000);
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('matches gpg for an armoured key and for the same key dearmoured', async () => {
    expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(openpgpFingerprint(armored)).toBe(fingerprint);
    const binary = join(home, 'key.gpg');
    execFileSync(
      'gpg',
      ['--homedir', home, '--batch', '--yes', '--output', binary, '--dearmor', '-'],
      { input: armored },
    );
    expect(openpgpFingerprint(await readFile(binary))).toBe(fingerprint);
  });

  it('accepts a key pinned by fingerprint alone and refuses another key', async () => {
    const file = join(home, 'RPM-GPG-KEY-test');
    await writeFile(file, armored);
    const key = {
      name: 'RPM-GPG-KEY-test',
      url: 'https://example.org/RPM-GPG-KEY-test',
      fingerprint,
    };
    await expect(loadPinnedKey(key, [home])).resolves.toMatchObject({ fingerprint });
    const other = { ...key, fingerprint: 'FC226859C0860BF0DDB95B085B106C736FEDFC85' };
    await expect(loadPinnedKey(other, [home])).rejects.toMatchObject({ code: 'key-mismatch' });
  });

  it('refuses an RSA key file pinned as OpenPGP', async () => {
    const key = {
      name: 'alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub',
      url: 'https://alpinelinux.org/keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub',
      fingerprint: 'FC226859C0860BF0DDB95B085B106C736FEDFC85',
    };
    await expect(loadPinnedKey(key, [ALPINE_KEYS])).rejects.toThrow(
      /not a readable OpenPGP public key/,
    );
  });
});
