import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { builtOutput, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { APK_FIXTURE_DIR } from '../workspace/fixture-repositories.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import { makeTempDir, newTree, verifiedApk } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

const REPO = APK_FIXTURE_DIR;
const PACKAGES = join(REPO, 'repo', 'x86_64');
const FIXTURE_REPO = reference('the fixture APK repository', [
  builtOutput(PACKAGES, 'testing:apk-repo'),
]);

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir('apk-fixture-folders');
});
afterEach(() => temp.cleanup());

describeWithReference(FIXTURE_REPO, 'the fixture APK repository under apk’s folder rule', () => {
  it('has every file’s folder listed in its own package, as apk requires', async () => {
    const names = readdirSync(PACKAGES)
      .filter((name) => name.endsWith('.apk'))
      .sort();
    expect(names.length).toBeGreaterThan(10);
    const refused: string[] = [];
    for (const name of names) {
      const { pkg } = await verifiedApk(join(PACKAGES, name), join(REPO, 'keys'));
      const dir = join(temp.dir, name);
      await newTree(dir)
        .addPackage(pkg, { folders: FOLDER_RULES.apk })
        .catch((error: unknown) => {
          refused.push(`${name}: ${(error as Error).message}`);
        });
      // One package's tree at a time: all of them at once take long to remove afterwards.
      await rm(dir, { recursive: true, force: true });
    }
    expect(refused).toEqual([]);
  }, 120_000);
});
