import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import { makeTempDir, newTree, verifiedApk } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

const REPO = join(WORKSPACE_ROOT, 'dist', 'fixtures', 'apk-repo');
const PACKAGES = join(REPO, 'repo', 'x86_64');
const built = existsSync(PACKAGES);

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir('apk-fixture-folders');
});
afterEach(() => temp.cleanup());

describe.skipIf(!built)('the fixture APK repository under apk’s folder rule', () => {
  it('has every file’s folder listed in its own package, as apk requires', async () => {
    const names = readdirSync(PACKAGES)
      .filter((name) => name.endsWith('.apk'))
      .sort();
    expect(names.length).toBeGreaterThan(10);
    const refused: string[] = [];
    for (const name of names) {
      const { pkg } = await verifiedApk(join(PACKAGES, name), join(REPO, 'keys'));
      const tree = newTree(join(temp.dir, name));
      await tree.addPackage(pkg, { folders: FOLDER_RULES.apk }).catch((error: unknown) => {
        refused.push(`${name}: ${(error as Error).message}`);
      });
    }
    expect(refused).toEqual([]);
  }, 120_000);
});
