import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { BASIC_PKGINFO, buildApk, capabilityXattr } from './apk-builder.support.ts';
import type { ApkSpec, TarSpec } from './apk-builder.support.ts';
import {
  CHROOT_KEYS,
  alpineChrootReference,
  createAlpineChroot,
} from '../test-support/alpine-chroot.ts';
import { installWithApk } from '../test-support/alpine-apk.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import {
  compareInstall,
  describeDifference,
  findInstalledRecord,
  listTree,
} from './installed-tree.support.ts';
import { readApkPackage } from './index.ts';
import type { ApkKeys } from './index.ts';
import { entriesOf, signer, trustTestKey } from './built-conformance.support.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

const KITCHEN_SINK: readonly TarSpec[] = [
  { name: 'usr/', type: '5' },
  { name: 'usr/bin/', type: '5' },
  {
    name: 'usr/bin/tool',
    content: '#!/bin/sh\necho tool\n',
    mode: 0o4755,
    mtime: 1_600_000_000,
    pax: { 'SCHILY.xattr.security.capability': capabilityXattr([13]) },
  },
  {
    name: 'usr/bin/tool-again',
    type: '1',
    linkname: 'usr/bin/tool',
    mode: 0o4755,
    mtime: 1_600_000_000,
  },
  { name: 'usr/bin/alias', type: '2', linkname: 'tool', mode: 0o777 },
  { name: 'srv/', type: '5', uid: 1000, gid: 1000, mode: 0o2775 },
  { name: 'srv/data', content: 'secret', uid: 1000, gid: 1000, mode: 0o640, mtime: 1_234_567_890 },
  {
    name: `srv/${'long-name-'.repeat(15)}end`,
    content: 'long',
    pax: { path: `srv/${'long-name-'.repeat(15)}end` },
  },
  { name: 'dev/', type: '5' },
  { name: 'dev/null0', type: '3', devmajor: 1, devminor: 3, mode: 0o666 },
  { name: 'dev/loop9', type: '4', devmajor: 7, devminor: 9, mode: 0o660 },
  { name: 'run/', type: '5' },
  { name: 'run/pipe', type: '6', mode: 0o600 },
  { name: 'etc/', type: '5' },
  { name: 'etc/empty', content: '' },
];

interface BuiltCase {
  readonly name: string;
  readonly spec: ApkSpec;
  /** apk verify's verdict, and ours when it differs for a pinned reason. */
  readonly apk: string;
  readonly pinned?: { readonly ours: string; readonly reason: string };
}

const CASES: readonly BuiltCase[] = [
  { name: 'rsa-sha1', spec: { data: KITCHEN_SINK, signers: [signer('RSA')] }, apk: 'OK' },
  { name: 'rsa-sha256', spec: { data: KITCHEN_SINK, signers: [signer('RSA256')] }, apk: 'OK' },
  { name: 'rsa-sha512', spec: { data: KITCHEN_SINK, signers: [signer('RSA512')] }, apk: 'OK' },
  {
    name: 'wrong-key',
    spec: { data: KITCHEN_SINK, signers: [signer('RSA256', 'other')] },
    apk: 'BAD signature',
  },
  {
    name: 'bad-datahash',
    spec: { data: KITCHEN_SINK, signers: [signer()], datahash: '00'.repeat(32) },
    apk: 'BAD signature',
  },
  {
    name: 'first-trusted-signature-bad',
    spec: {
      data: KITCHEN_SINK,
      signers: [signer('RSA256', 'other'), signer('RSA256', 'main', 'second.rsa.pub')],
    },
    apk: 'BAD signature',
    pinned: {
      ours: 'OK',
      reason:
        'apk 2 checks only the first signature whose key it has; we accept a package when any ' +
        'trusted signature verifies, as the multi-signer rule asks',
    },
  },
  {
    name: 'legacy-no-datahash',
    spec: { data: KITCHEN_SINK, signers: [signer()], datahash: 'omit' },
    apk: 'OK',
  },
  { name: 'unsigned', spec: { data: KITCHEN_SINK }, apk: 'UNTRUSTED' },
];

function ourVerdict(error: unknown): string {
  if (error === undefined) {
    return 'OK';
  }
  if (error instanceof PackageVerifyError) {
    return /BAD signature|datahash/.test(error.message) ? 'BAD signature' : 'UNTRUSTED';
  }
  if (error instanceof PackageFormatError || error instanceof UnsafeEntryError) {
    return 'refused';
  }
  throw error;
}

describeWithReference(APK, 'built packages against Alpine apk 2.14 (chroot)', () => {
  let chroot: AlpineChroot;
  let keys: ApkKeys;
  beforeAll(async () => {
    chroot = await createAlpineChroot();
    keys = await trustTestKey(chroot);
  }, 60_000);
  afterAll(async () => {
    await chroot?.dispose();
  });

  for (const entry of CASES) {
    it(`gives the ${entry.name} package the verdict apk verify gives it`, async () => {
      const inside = `/tmp/${entry.name}.apk`;
      await writeFile(chroot.host(inside), buildApk(entry.spec));
      const result = await chroot.apk(['verify', '--keys-dir', CHROOT_KEYS, inside]);
      const apk = result.stdout.replace(/^.*: -?\d+ - /, '').trim();
      const ours = await readApkPackage(chroot.host(inside), { keys, requireSignature: true }).then(
        () => ourVerdict(undefined),
        ourVerdict,
      );
      expect({ apk, ours }).toEqual({ apk: entry.apk, ours: entry.pinned?.ours ?? entry.apk });
    });
  }

  it('installs every kind of entry as apk add does', async () => {
    const inside = '/tmp/kitchen-sink.apk';
    await writeFile(
      chroot.host(inside),
      buildApk({ pkginfo: BASIC_PKGINFO, data: KITCHEN_SINK, signers: [signer()] }),
    );
    const install = await installWithApk(
      chroot,
      inside,
      { name: 'kitchen-sink', arch: 'x86_64', depends: [], untrusted: false },
      listTree,
    );
    expect(install.result.exitCode, install.result.stderr).toBe(0);
    const pkg = await readApkPackage(chroot.host(inside), { keys, requireSignature: true });
    const streamed = await entriesOf(chroot.host(inside), keys);
    const record = findInstalledRecord(
      await readFile(join(install.target, 'lib/apk/db/installed'), 'utf8'),
      'demo',
    );
    expect(record?.controlHash).toBe(pkg.controlHash);
    const diffs =
      record === undefined
        ? []
        : await compareInstall(install.target, install.before, streamed, record);
    expect(diffs.map(describeDifference)).toEqual([]);
  });
});
