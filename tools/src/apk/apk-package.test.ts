import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { BASIC_PKGINFO, adbFile, buildApk, testSigningKey } from './apk-builder.support.ts';
import { ApkKeys, loadApkKeys, readApkIndex, readApkPackage } from './index.ts';

const KEY_DIRS = [fixture('keys', 'alpine'), fixture('keys', 'test')];
let keys: ApkKeys;
let dir: string;

beforeAll(async () => {
  keys = await loadApkKeys(KEY_DIRS);
  dir = await mkdtemp(join(tmpdir(), 'apk-package-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

const testKeys = () => new ApkKeys([['test.rsa.pub', testSigningKey().publicKey]], ['test keys']);

describe('readApkPackage on real packages', () => {
  it('reads every .PKGINFO field, the scripts and the signer of an Alpine package', async () => {
    const file = fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk');
    const pkg = await readApkPackage(file, { keys, requireSignature: true });
    expect(pkg.info).toMatchObject({
      name: 'alpine-baselayout',
      version: '3.2.0-r23',
      description: 'Alpine base dir structure and init scripts',
      url: 'https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout',
      buildDate: 1_662_926_906,
      packager: 'Buildozer <alpine-devel@lists.alpinelinux.org>',
      installedSize: 339_968,
      arch: 'aarch64',
      origin: 'alpine-baselayout',
      commit: '348653a9ba0701e8e968b3344e72313a9ef334e4',
      maintainer: 'Natanael Copa <ncopa@alpinelinux.org>',
      license: 'GPL-2.0-only',
      depends: ['alpine-baselayout-data=3.2.0-r23', '/bin/sh', 'so:libc.musl-aarch64.so.1'],
      provides: ['cmd:mkmntdirs=3.2.0-r23'],
      datahash: '1a3a8e47d2287da6d505d973412cee1ad64bcc17bc5995069e4e932055ecb0c4',
    });
    expect(pkg.signer).toBe('alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub');
    expect(pkg.controlHash).toBe('Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=');
    expect(pkg.datahash).toBe(pkg.info.datahash);
    expect(pkg.scripts.map((s) => [s.phase, s.interpreter])).toEqual([
      ['pre-install', '/bin/sh'],
      ['post-install', '/bin/sh'],
      ['pre-upgrade', '/bin/sh'],
      ['post-upgrade', '/bin/sh'],
    ]);
    expect(pkg.scripts[0]?.body).toContain('addgroup -S -g 42 shadow');
  });

  it('matches the C: field of the repository index for every package of the apko repository', async () => {
    for (const arch of ['x86_64', 'aarch64']) {
      const folder = fixture('apk', 'synthetic', 'apko-repo', 'packages', arch);
      const index = await readApkIndex(readFileSync(join(folder, 'APKINDEX.tar.gz')), {
        keys,
        requireSignature: true,
        file: 'APKINDEX.tar.gz',
      });
      const records = index.text.split('\n\n').filter((r) => r.includes('P:'));
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        const field = (key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(record)?.[1];
        const file = join(folder, `${field('P')}-${field('V')}.apk`);
        const pkg = await readApkPackage(file, {
          keys,
          requireSignature: true,
          expectedControlHash: field('C'),
        });
        expect(pkg.controlHash).toBe(field('C'));
      }
    }
  });

  it('refuses a package whose control member differs from the index, naming the package', async () => {
    const file = fixture('apk', 'alpine', 'test_alpine.apk');
    const error = await readApkPackage(file, {
      keys,
      requireSignature: true,
      expectedControlHash: 'Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toContain('apache2-ctl-2.4.43-r0 (');
    expect(String(error)).toContain('test_alpine.apk');
  });

  it('accepts unsigned and untrusted packages only when no signature is required', async () => {
    const unsigned = fixture('apk', 'synthetic', 'go-apk', 'hello-0.1.0-r0.apk');
    expect(
      (await readApkPackage(unsigned, { keys, requireSignature: false })).signer,
    ).toBeUndefined();
    await expect(readApkPackage(unsigned, { keys, requireSignature: true })).rejects.toThrow(
      /hello-0\.1\.0-r0 .*: not signed/,
    );
    const untrusted = fixture('apk', 'synthetic', 'go-apk', 'hello-2.12-r0.apk');
    const error = await readApkPackage(untrusted, { keys, requireSignature: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toContain('signed by local-melange.rsa.pub (RSA)');
    expect(String(error)).toContain(KEY_DIRS.join(', '));
  });

  it('refuses a bad signature by a trusted key even when no signature is required', async () => {
    const file = fixture('apk', 'synthetic', 'go-apk', 'hello-wolfi-2.12.1-r0.apk');
    await expect(readApkPackage(file, { keys, requireSignature: false })).rejects.toThrow(
      /hello-wolfi-2\.12\.1-r0 .*BAD signature: melange\.rsa\.pub/,
    );
  });

  it.each(['.', 'd', 'c'] as const)('refuses an apk v3 package (ADB%s) by its magic', async (c) => {
    const file = await write(`v3-${c}.apk`, adbFile('pckg', c));
    const error = await readApkPackage(file, { keys, requireSignature: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageFormatError);
    expect((error as PackageFormatError).message).toBe(
      `${file}: apk v3 format is not supported yet: expected a v2 .apk, found an ADB package`,
    );
    expect((error as PackageFormatError).hint).toMatch(/v2 \.apk .*APKINDEX\.tar\.gz/);
  });
});

describe('readApkPackage on built packages', () => {
  it.each(['RSA', 'RSA256', 'RSA512'] as const)('verifies .SIGN.%s signatures', async (scheme) => {
    const bytes = buildApk({
      data: [{ name: 'f', content: 'x' }],
      signers: [{ keyName: 'test.rsa.pub', scheme, privateKey: testSigningKey().privateKey }],
    });
    const pkg = await readApkPackage(await write(`${scheme}.apk`, bytes), {
      keys: testKeys(),
      requireSignature: true,
    });
    expect(pkg.signer).toBe('test.rsa.pub');
  });

  it('accepts any trusted signer among several', async () => {
    const bytes = buildApk({
      data: [{ name: 'f', content: 'x' }],
      signers: [
        { keyName: 'stranger.rsa.pub', privateKey: testSigningKey('other').privateKey },
        { keyName: 'test.rsa.pub', privateKey: testSigningKey().privateKey },
      ],
    });
    const pkg = await readApkPackage(await write('multi.apk', bytes), {
      keys: testKeys(),
      requireSignature: true,
    });
    expect(pkg.signer).toBe('test.rsa.pub');
    expect(pkg.signatures).toEqual(['stranger.rsa.pub', 'test.rsa.pub']);
  });

  it('checks the datahash against the data part', async () => {
    const bytes = buildApk({ data: [{ name: 'f', content: 'x' }], datahash: 'ab'.repeat(32) });
    await expect(
      readApkPackage(await write('datahash.apk', bytes), { keys, requireSignature: false }),
    ).rejects.toThrow(/demo-1\.0-r0 .*does not match the datahash/);
  });

  it('signs control and data together for packages without a datahash', async () => {
    const signers = [{ keyName: 'test.rsa.pub', privateKey: testSigningKey().privateKey }];
    const bytes = Buffer.from(
      buildApk({ data: [{ name: 'f', content: 'x' }], datahash: 'omit', signers }),
    );
    const file = await write('legacy.apk', bytes);
    expect((await readApkPackage(file, { keys: testKeys(), requireSignature: true })).signer).toBe(
      'test.rsa.pub',
    );
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    await expect(
      readApkPackage(await write('legacy-bad.apk', bytes), {
        keys: testKeys(),
        requireSignature: true,
      }),
    ).rejects.toThrow(/BAD signature/);
  });

  it('exposes the trigger script with the paths that fire it', async () => {
    const bytes = buildApk({
      pkginfo: `${BASIC_PKGINFO}triggers = /usr/share/fonts/* /etc/demo.d\n`,
      controlFiles: [
        { name: '.trigger', content: '#!/bin/sh -e\nfc-cache\n', mode: 0o755 },
        { name: '.post-deinstall', content: 'echo bye\n' },
        { name: '.melange.yaml', content: 'ignored' },
      ],
      data: [],
    });
    const pkg = await readApkPackage(await write('trigger.apk', bytes), {
      keys,
      requireSignature: false,
    });
    expect(pkg.scripts).toEqual([
      { phase: 'post-deinstall', body: 'echo bye\n' },
      {
        phase: 'trigger',
        interpreter: '/bin/sh -e',
        body: '#!/bin/sh -e\nfc-cache\n',
        triggers: ['/usr/share/fonts/*', '/etc/demo.d'],
      },
    ]);
  });

  it('bounds .PKGINFO', async () => {
    const bytes = buildApk({
      pkginfo: `${BASIC_PKGINFO}pkgdesc = ${'d'.repeat(5000)}\n`,
      data: [],
    });
    await expect(
      readApkPackage(await write('big.apk', bytes), {
        keys,
        requireSignature: false,
        limits: { maxPkginfoBytes: 4096 },
      }),
    ).rejects.toThrow(PackageFormatError);
  });
});
