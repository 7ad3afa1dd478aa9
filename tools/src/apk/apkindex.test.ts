import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { adbFile, buildApkIndex, testSigningKey } from './apk-builder.support.ts';
import { ApkKeys, loadApkKeys, readApkIndex, splitGzipMembers } from './index.ts';

const index = (...parts: string[]) =>
  readFileSync(fixture('apkindex', ...parts, 'APKINDEX.tar.gz'));

describe('readApkIndex', () => {
  it('verifies the Alpine 3.16 index against the Alpine keys and returns its text', async () => {
    const keys = await loadApkKeys(fixture('keys', 'alpine'));
    const result = await readApkIndex(index('alpine-316'), {
      keys,
      requireSignature: true,
      file: 'alpine-316',
    });
    expect(result.signer).toBe('alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub');
    expect(result.description).toBe('v3.16.3-13-g4d933a1fa3');
    expect(result.text.match(/^P:/gm)).toHaveLength(4929);
    expect(result.text.startsWith('C:Q1')).toBe(true);
  });

  it.each([
    ['apko-rsa256-signed', 'test-rsa256.rsa.pub'],
    [
      'apko-signing-rsa256-multi',
      'chainguard-0106f58bac88057c2ff5c2829850df492717a876ed700443550353c7ab23f5a0.rsa.pub',
    ],
  ])('verifies the RSA256 index %s', async (name, signer) => {
    const keys = await loadApkKeys(fixture('keys', 'test'));
    const result = await readApkIndex(index('synthetic', name), {
      keys,
      requireSignature: true,
      file: name,
    });
    expect(result.signer).toBe(signer);
    expect(result.text).toContain('P:');
  });

  it('accepts any one trusted signer of a multi-signer index', async () => {
    const name =
      'chainguard-61cb6bccd1f584b007db7be51ebce2b0530a54cc5a94e7650b570d113d537cf3.rsa.pub';
    const keys = await loadApkKeys(fixture('keys', 'test', name));
    const result = await readApkIndex(index('synthetic', 'apko-signing-rsa256-multi'), {
      keys,
      requireSignature: true,
      file: 'multi',
    });
    expect(result.signer).toBe(name);
  });

  it('refuses a tampered index member', async () => {
    const keys = await loadApkKeys(fixture('keys', 'alpine'));
    const bytes = Buffer.from(index('alpine-316'));
    const body = splitGzipMembers(bytes)[1]?.start ?? 0;
    const headerFlip = Buffer.from(bytes);
    headerFlip[body + 4] = (headerFlip[body + 4] ?? 0) ^ 1;
    await expect(
      readApkIndex(headerFlip, { keys, requireSignature: true, file: 'i' }),
    ).rejects.toThrow(/BAD signature/);
    const dataFlip = Buffer.from(bytes);
    dataFlip[100_000] = (dataFlip[100_000] ?? 0) ^ 1;
    await expect(
      readApkIndex(dataFlip, { keys, requireSignature: true, file: 'i' }),
    ).rejects.toThrow(PackageFormatError);
  });

  it('refuses an index signed by an untrusted key, naming signer and trusted folders', async () => {
    const keys = await loadApkKeys(fixture('keys', 'test'));
    const error = await readApkIndex(index('alpine-316'), {
      keys,
      requireSignature: true,
      file: 'idx',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toContain('alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub (RSA)');
    expect(String(error)).toContain(fixture('keys', 'test'));
    const relaxed = await readApkIndex(index('alpine-316'), {
      keys,
      requireSignature: false,
      file: 'idx',
    });
    expect(relaxed.signer).toBeUndefined();
  });

  it('refuses a wrong key under the signer name', async () => {
    const keys = new ApkKeys([['k.rsa.pub', testSigningKey('other').publicKey]]);
    const bytes = buildApkIndex('P:a\nV:1\n\n', [
      { keyName: 'k.rsa.pub', privateKey: testSigningKey().privateKey },
    ]);
    await expect(readApkIndex(bytes, { keys, requireSignature: false, file: 'i' })).rejects.toThrow(
      /BAD signature/,
    );
  });

  it('treats a signature inside the index member as no signature (go-apk sample)', async () => {
    const bytes = index('synthetic', 'go-apk-sample');
    await expect(
      readApkIndex(bytes, { keys: new Map(), requireSignature: true, file: 's' }),
    ).rejects.toThrow(/not signed/);
    const result = await readApkIndex(bytes, {
      keys: new Map(),
      requireSignature: false,
      file: 's',
    });
    expect(result.text).toBe(
      readFileSync(
        fixture('apkindex', 'synthetic', 'go-apk-sample', 'extracted', 'APKINDEX'),
        'utf8',
      ),
    );
  });

  it.each(['.', 'd', 'c'] as const)(
    'refuses an apk v3 index (ADB%s) named APKINDEX.tar.gz, pointing at the v2 index',
    async (compression) => {
      const file = 'https://mirror.example/alpine/v3.24/main/x86_64/APKINDEX.tar.gz';
      const error = await readApkIndex(adbFile('indx', compression), {
        keys: new Map(),
        requireSignature: true,
        file,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackageFormatError);
      expect((error as PackageFormatError).message).toBe(
        `${file}: apk v3 format is not supported yet: expected a v2 APKINDEX.tar.gz, found an ADB index`,
      );
      expect((error as PackageFormatError).hint).toMatch(/v2 index.*APKINDEX\.tar\.gz/);
    },
  );

  it('bounds the index size', async () => {
    await expect(
      readApkIndex(index('alpine-316'), {
        keys: new Map(),
        requireSignature: false,
        file: 'i',
        limits: { maxIndexBytes: 1000 },
      }),
    ).rejects.toThrow(/larger than the 1000 allowed/);
  });
});
