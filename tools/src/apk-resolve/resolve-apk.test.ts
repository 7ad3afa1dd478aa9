import { beforeAll, expect, it } from 'vitest';
import { parseApkIndexText } from './parse-index.ts';
import type { ApkIndexRecord } from './record.ts';
import { createApkResolver } from './resolve.ts';
import type { ApkResolver } from './resolve.ts';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { simulateAdd } from '../test-support/alpine-apk.ts';
import type { InstalledByApk } from '../test-support/alpine-apk.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { INSTALLABLE_SETS, sampledRequests } from './test-support/alpine-sets.ts';
import { ALPINE_316_CHROOT, readApkIndexTextFixture } from './test-support/index-fixture.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

/** Sets apk refuses; so must the resolver, naming what is wrong. */
const REFUSED: readonly { request: readonly string[]; message: string }[] = [
  {
    // nvme-cli and sg3_utils are in community, not main.
    request: [
      'e2fsprogs',
      'parted',
      'smartmontools',
      'hdparm',
      'nvme-cli',
      'sg3_utils',
      'util-linux',
    ],
    message: 'nothing provides nvme-cli (requested)',
  },
  {
    // /bin/sh is only provided virtually (by busybox, without k:), and nothing asks for busybox.
    request: ['curl'],
    message: '/bin/sh is a virtual name needed by ca-certificates-20220614-r0',
  },
  { request: ['openrc', 'bash'], message: '/bin/sh is a virtual name' },
];

function ids(packages: readonly (ApkIndexRecord | InstalledByApk)[]): string[] {
  return packages.map((p) => `${p.name}-${p.version}`);
}

describeWithReference(APK, 'resolveApk against Alpine apk 2.14 on the 3.16 index', () => {
  const chroot = useAlpineChroot(ALPINE_316_CHROOT);
  let records: ApkIndexRecord[];
  let resolver: ApkResolver;

  beforeAll(() => {
    records = parseApkIndexText(readApkIndexTextFixture(), {
      repository: 'main',
      file: 'APKINDEX',
    });
    resolver = createApkResolver([{ repository: 'main', records }], { arch: 'x86_64' });
  }, 60_000);

  it.each(INSTALLABLE_SETS)('installs %s exactly like apk', async (...request) => {
    const apk = await simulateAdd(chroot(), request);
    expect(apk.exitCode, apk.output).toBe(0);
    expect(ids(resolver.resolve(request).packages)).toEqual(ids(apk.installed));
  });

  it.each(REFUSED)('refuses $request like apk', async ({ request, message }) => {
    const apk = await simulateAdd(chroot(), request);
    expect(apk.exitCode).not.toBe(0);
    expect(apk.installed).toEqual([]);
    expect(() => resolver.resolve(request)).toThrow(message);
  });

  it('agrees with apk on 40 requests sampled from the index', async () => {
    const disagreements: string[] = [];
    for (const request of sampledRequests(records, 40)) {
      const apk = await simulateAdd(chroot(), request);
      let ours: string;
      try {
        ours = ids(resolver.resolve(request).packages).join(' ');
      } catch {
        ours = 'refused';
      }
      const theirs = apk.exitCode === 0 ? ids(apk.installed).join(' ') : 'refused';
      if (ours !== theirs) {
        disagreements.push(`${request.join(' ')}:\n  ours: ${ours}\n  apk:  ${theirs}`);
      }
    }
    expect(disagreements).toEqual([]);
  }, 50_000);
});
