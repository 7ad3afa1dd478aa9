/**
 * Packages cut short, as an interrupted download leaves them: Alpine's apk 2.14 (in the
 * minirootfs chroot) calls every one a "BAD archive"; readApkPackage must refuse every one too,
 * and say "truncated" rather than only that the datahash does not match.
 */

import { readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import {
  CHROOT_KEYS,
  alpineChrootReference,
  useAlpineChroot,
} from '../test-support/alpine-chroot.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { loadApkKeys, readApkPackage } from './index.ts';
import type { ApkKeys } from './index.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

const KEY_DIRS = [fixture('keys', 'alpine'), fixture('keys', 'test')];

function apkFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? apkFiles(path) : name.endsWith('.apk') ? [path] : [];
    });
}

describeWithReference(APK, 'truncated packages, against apk verify (chroot)', () => {
  const chroot = useAlpineChroot({ keyDirs: KEY_DIRS });
  let keys: ApkKeys;
  beforeAll(async () => {
    keys = await loadApkKeys(KEY_DIRS);
  });

  it('are refused by both, and called truncated here, wherever the data part is cut', async () => {
    const cuts: { name: string; inside: string; host: string }[] = [];
    for (const [index, file] of apkFiles(fixture('apk')).entries()) {
      const whole = await readApkPackage(file, { keys, requireSignature: true }).catch(
        () => undefined,
      );
      if (whole === undefined) continue;
      const bytes = await readFile(file);
      const at = {
        'after the control member': whole.dataOffset,
        'just into the data part': whole.dataOffset + 10,
        'half way through the data part': whole.dataOffset + Math.floor(whole.dataLength / 2),
        'one byte short': bytes.length - 1,
      };
      for (const [where, length] of Object.entries(at)) {
        const name = `${index}-${basename(file)} cut ${where}`;
        const inside = `/tmp/cut-${index}-${length}-${basename(file)}`;
        await writeFile(chroot().host(inside), bytes.subarray(0, length));
        cuts.push({ name, inside, host: chroot().host(inside) });
      }
    }
    expect(cuts.length).toBeGreaterThanOrEqual(20);
    const result = await chroot().apk([
      'verify',
      '--keys-dir',
      CHROOT_KEYS,
      ...cuts.map((cut) => cut.inside),
    ]);
    const apkVerdicts: Record<string, string> = {};
    const ours: Record<string, string> = {};
    for (const cut of cuts) {
      const line = result.stdout.split('\n').find((text) => text.startsWith(`${cut.inside}:`));
      apkVerdicts[cut.name] = line?.replace(/^.*: -?\d+ - /, '') ?? `no output: ${result.stderr}`;
      const error: unknown = await readApkPackage(cut.host, { keys, requireSignature: true }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      const refused = error instanceof PackageVerifyError || error instanceof PackageFormatError;
      ours[cut.name] =
        refused && /: truncated: /.test(error.message) ? 'BAD archive' : String(error);
    }
    expect(ours).toEqual(apkVerdicts);
    expect(new Set(Object.values(apkVerdicts))).toEqual(new Set(['BAD archive']));
  });
});
