import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PackageVerifyError } from '../packages/errors.ts';
import { buildApk } from './apk-builder.support.ts';
import type { TarSpec } from './apk-builder.support.ts';
import { alpineChrootReference, createAlpineChroot } from '../test-support/alpine-chroot.ts';
import { installWithApk } from '../test-support/alpine-apk.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import { entriesOf, signer, trustTestKey } from './built-conformance.support.ts';
import { listTree } from './installed-tree.support.ts';
import type { ApkKeys } from './index.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

describeWithReference(APK, 'hostile packages against Alpine apk 2.14 (chroot)', () => {
  let chroot: AlpineChroot;
  let keys: ApkKeys;
  beforeAll(async () => {
    chroot = await createAlpineChroot();
    keys = await trustTestKey(chroot);
  }, 60_000);
  afterAll(async () => {
    await chroot?.dispose();
  });

  it.each<[string, TarSpec[], string, string]>([
    [
      'a path through its own symlink',
      [
        { name: 'real/', type: '5' },
        { name: 'lib', type: '2', linkname: 'real' },
        { name: 'lib/f', content: 'x' },
      ],
      'no dirent in archive',
      'UnsafeEntryError',
    ],
    [
      'a .. component',
      [
        { name: 'a/', type: '5' },
        { name: 'a/../../escape', content: 'x' },
      ],
      'ignoring malicious file',
      'UnsafeEntryError',
    ],
    [
      'an absolute path',
      [{ name: '/abs', content: 'x' }],
      'ignoring malicious file',
      'UnsafeEntryError',
    ],
    [
      'a repeated file',
      [
        { name: 'f', content: 'x' },
        { name: 'f', content: 'y' },
      ],
      'failed to rename',
      'UnsafeEntryError',
    ],
    [
      'a hardlink to a file it lacks',
      [{ name: 'h', type: '1', linkname: 'etc/apk/arch' }],
      'no hard link target',
      'UnsafeEntryError',
    ],
  ])('refuses a package with %s, as apk add does', async (name, data, apkMessage, ours) => {
    const inside = `/tmp/hostile-${name.replace(/\W+/g, '-')}.apk`;
    await writeFile(chroot.host(inside), buildApk({ data, signers: [signer()] }));
    const install = await installWithApk(
      chroot,
      inside,
      {
        name: `hostile-${name.replace(/\W+/g, '-')}`,
        arch: 'x86_64',
        depends: [],
        untrusted: false,
      },
      listTree,
    );
    expect(install.result.exitCode).not.toBe(0);
    expect(install.result.stderr).toContain(apkMessage);
    const error = await entriesOf(chroot.host(inside), keys).catch((e: unknown) => e);
    expect((error as Error).name).toBe(ours);
  });

  it('refuses a file whose content does not match its SHA1 record, which apk 2.14 installs (pinned)', async () => {
    // apk 2.14 records APK-TOOLS.checksum.SHA1 as the Z: checksum without checking it against the
    // content; we refuse the mismatch, since the record is what the signature vouches for.
    const inside = '/tmp/bad-file-checksum.apk';
    const data = [{ name: 'f', content: 'x', pax: { 'APK-TOOLS.checksum.SHA1': 'a'.repeat(40) } }];
    await writeFile(chroot.host(inside), buildApk({ data, signers: [signer()], checksums: false }));
    const install = await installWithApk(
      chroot,
      inside,
      { name: 'bad-file-checksum', arch: 'x86_64', depends: [], untrusted: false },
      listTree,
    );
    expect(install.result.exitCode).toBe(0);
    await expect(entriesOf(chroot.host(inside), keys)).rejects.toThrow(PackageVerifyError);
  });
});
