import { expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { parseApkIndexText } from './parse-index.ts';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { apkVersionTest } from '../test-support/alpine-apk.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { ALPINE_316_CHROOT, readApkIndexTextFixture } from './test-support/index-fixture.ts';
import { VERSION_ORDER, VERSION_VALIDITY } from './test-support/version-cases.ts';
import { compareApkVersions, isValidApkVersion } from './version.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

const SYMBOL = ['<', '=', '>'] as const;

/** Pairs of versions from the real index: neighbours in sorted order and seeded random pairs. */
function indexPairs(count: number): [string, string][] {
  const records = parseApkIndexText(readApkIndexTextFixture(), {
    repository: 'main',
    file: 'APKINDEX',
  });
  const versions = [...new Set(records.map((r) => r.version))].sort();
  const pairs: [string, string][] = [];
  let seed = 316;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; pairs.length < count / 2; i += Math.max(1, Math.floor(versions.length / count))) {
    const a = versions[i];
    const b = versions[i + 1];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  while (pairs.length < count) {
    const a = versions[next() % versions.length];
    const b = versions[next() % versions.length];
    if (a !== undefined && b !== undefined) pairs.push(next() % 2 === 0 ? [a, b] : [b, a]);
  }
  return pairs;
}

describeWithReference(APK, 'compareApkVersions against Alpine apk 2.14', () => {
  const chroot = useAlpineChroot(ALPINE_316_CHROOT);

  // 400 pairs in batches of 100: one apk process per pair, so each batch is its own test.
  const batches = Array.from({ length: 4 }, (_, batch) => ({
    batch: batch + 1,
    pairs: indexPairs(400).slice(batch * 100, (batch + 1) * 100),
  }));
  it.each(batches)(
    'orders batch $batch of 400 pairs from the 3.16 index like `apk version -t`',
    async ({ pairs }) => {
      const apk = await apkVersionTest(chroot(), pairs);
      const ours = pairs.map(([a, b]) => SYMBOL[compareApkVersions(a, b) + 1]);
      const differing = pairs.filter((_, i) => ours[i] !== apk[i]);
      expect(apk).toHaveLength(pairs.length);
      expect(differing).toEqual([]);
    },
  );

  it('orders the table of edge cases like `apk version -t`', async () => {
    const apk = await apkVersionTest(
      chroot(),
      VERSION_ORDER.map(([a, , b]) => [a, b] as const),
    );
    expect(apk).toEqual(VERSION_ORDER.map(([, op]) => op));
  });

  it('accepts and rejects versions like `apk version -c`', async () => {
    const versions = VERSION_VALIDITY.map(([v]) => v);
    await writeFile(chroot().host('versions.txt'), `${versions.join('\n')}\n`);
    const script =
      'while IFS= read -r v; do if [ -n "$(apk version -c "$v")" ]; then echo no; else echo yes; fi; done < /versions.txt';
    const result = await chroot().run(['sh', '-c', script]);
    const apk = result.stdout.split('\n').filter((line) => line !== '');
    expect(apk).toEqual(VERSION_VALIDITY.map(([, valid]) => (valid ? 'yes' : 'no')));
    expect(versions.map((v) => (isValidApkVersion(v) ? 'yes' : 'no'))).toEqual(apk);
  });
});
