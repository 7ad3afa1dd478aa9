import { readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { loadApkKeys, readApkIndex, splitGzipMembers } from './index.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

const ALPINE_316 = fixture('apkindex', 'alpine-316', 'APKINDEX.tar.gz');
const ALPINE_SIGNER = 'alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub';
const MULTI = fixture('apkindex', 'synthetic', 'apko-signing-rsa256-multi', 'APKINDEX.tar.gz');
const chainguard = (id: string) => `chainguard-${id}.rsa.pub`;
const FIRST = chainguard('0106f58bac88057c2ff5c2829850df492717a876ed700443550353c7ab23f5a0');
const SECOND = chainguard('60912bbc46bfc8ed6bda0b50db3a8a5f3c4344d6bc8549ec9b84d96140b475d1');
const testKey = (name: string) => fixture('keys', 'test', name);
const allIn = (dir: string) => (name: string) => [name, join(dir, name)] as const;

function flipped(file: string, at: (bytes: Uint8Array) => number): Uint8Array {
  const bytes = Buffer.from(readFileSync(file));
  const offset = at(bytes);
  bytes[offset] = (bytes[offset] ?? 0) ^ 1;
  return bytes;
}
const indexMemberStart = (bytes: Uint8Array) => splitGzipMembers(bytes)[1]?.start ?? 0;

interface IndexCase {
  readonly name: string;
  readonly bytes: () => Uint8Array;
  /** Key file name in the trusted folder → the file its content comes from. */
  readonly keys: readonly (readonly [string, string])[];
  /** What apk says. */
  readonly verdict: string;
  /** A remaining difference from apk, with its reason. */
  readonly pinned?: { readonly ours: string; readonly reason: string };
}

const alpineKeys = ['4a6a0840', '5243ef4b', '6165ee59', '61666e3f'].map((id) =>
  allIn(fixture('keys', 'alpine'))(`alpine-devel@lists.alpinelinux.org-${id}.rsa.pub`),
);
const testKeys = [
  FIRST,
  SECOND,
  'melange.rsa.pub',
  'private_pkg_key.rsa.pub',
  'test-rsa256.rsa.pub',
].map(allIn(fixture('keys', 'test')));
const synthetic = (name: string) => () =>
  readFileSync(fixture('apkindex', 'synthetic', name, 'APKINDEX.tar.gz'));
const apkoRepo =
  (...parts: string[]) =>
  () =>
    readFileSync(fixture('apk', 'synthetic', 'apko-repo', ...parts, 'APKINDEX.tar.gz'));

const CASES: readonly IndexCase[] = [
  {
    name: 'alpine 3.16 with the Alpine keys',
    verdict: 'OK',
    bytes: () => readFileSync(ALPINE_316),
    keys: alpineKeys,
  },
  {
    name: 'alpine 3.16 with the wrong key folder',
    verdict: 'UNTRUSTED',
    bytes: () => readFileSync(ALPINE_316),
    keys: testKeys,
  },
  {
    name: 'alpine 3.16 with another key under the signer name',
    verdict: 'BAD signature',
    bytes: () => readFileSync(ALPINE_316),
    keys: [
      [
        ALPINE_SIGNER,
        fixture('keys', 'alpine', 'alpine-devel@lists.alpinelinux.org-5243ef4b.rsa.pub'),
      ],
    ],
  },
  {
    name: 'alpine 3.16 with a flipped byte in the index member header',
    verdict: 'BAD signature',
    bytes: () => flipped(ALPINE_316, (b) => indexMemberStart(b) + 4),
    keys: alpineKeys,
  },
  {
    name: 'alpine 3.16 with a flipped byte in the compressed index',
    verdict: 'format error',
    bytes: () => flipped(ALPINE_316, () => 100_000),
    keys: alpineKeys,
  },
  {
    name: 'apko RSA256 single signer',
    verdict: 'OK',
    bytes: synthetic('apko-rsa256-signed'),
    keys: testKeys,
  },
  {
    name: 'apko RSA256 three signers',
    verdict: 'OK',
    bytes: synthetic('apko-signing-rsa256-multi'),
    keys: testKeys,
  },
  {
    name: 'apko RSA256 three signers, only the second trusted',
    verdict: 'OK',
    bytes: () => readFileSync(MULTI),
    keys: [[SECOND, testKey(SECOND)]],
  },
  {
    name: 'apko RSA256 three signers, the first trusted name holding another key',
    verdict: 'BAD signature',
    bytes: () => readFileSync(MULTI),
    keys: [
      [FIRST, testKey('melange.rsa.pub')],
      [SECOND, testKey(SECOND)],
    ],
    pinned: {
      ours: 'OK',
      reason:
        'apk 2 checks only the first signature whose key it has; we accept the index when any ' +
        'trusted signature verifies, as the multi-signer rule asks',
    },
  },
  {
    name: 'go-apk sample (signature inside the index member)',
    verdict: 'UNTRUSTED',
    bytes: synthetic('go-apk-sample'),
    keys: testKeys,
  },
  {
    name: 'apko repository x86_64',
    verdict: 'OK',
    bytes: apkoRepo('packages', 'x86_64'),
    keys: testKeys,
  },
  {
    name: 'apko repository aarch64',
    verdict: 'OK',
    bytes: apkoRepo('packages', 'aarch64'),
    keys: testKeys,
  },
  {
    name: 'apko private repository x86_64',
    verdict: 'OK',
    bytes: apkoRepo('private_packages', 'packages', 'x86_64'),
    keys: testKeys,
  },
];

/** apk update reports a repository it could not trust as a warning, and exits 0 regardless. */
function apkVerdict(output: string): string {
  if (output.includes('BAD signature')) {
    return 'BAD signature';
  }
  if (output.includes('UNTRUSTED signature')) {
    return 'UNTRUSTED';
  }
  return output.includes('format error') ? 'format error' : 'OK';
}

function ourVerdict(error: unknown): string {
  if (error instanceof PackageVerifyError) {
    return error.message.includes('BAD signature') ? 'BAD signature' : 'UNTRUSTED';
  }
  if (error instanceof PackageFormatError) {
    return 'format error';
  }
  throw error;
}

describeWithReference(APK, 'APKINDEX verification against Alpine apk 2.14 (chroot)', () => {
  const chroot = useAlpineChroot();

  CASES.forEach((entry, n) => {
    it(`gives ${entry.name} the verdict apk update gives it`, async () => {
      const keysDir = `/tmp/index-keys-${n}`;
      const repo = `/tmp/index-repo-${n}`;
      await mkdir(chroot().host(keysDir), { recursive: true });
      await mkdir(chroot().host(join(repo, 'x86_64')), { recursive: true });
      for (const [name, source] of entry.keys) {
        await copyFile(source, chroot().host(join(keysDir, name)));
      }
      const bytes = entry.bytes();
      await writeFile(chroot().host(join(repo, 'x86_64', 'APKINDEX.tar.gz')), bytes);
      const result = await chroot().apk(['--keys-dir', keysDir, '--repository', repo, 'update']);
      const keys = await loadApkKeys(chroot().host(keysDir));
      const ours = await readApkIndex(bytes, {
        keys,
        requireSignature: true,
        file: entry.name,
      }).then(() => 'OK', ourVerdict);
      const apk = apkVerdict(result.stdout + result.stderr);
      expect({ apk, ours }).toEqual({
        apk: entry.verdict,
        ours: entry.pinned?.ours ?? entry.verdict,
      });
    });
  });
});
