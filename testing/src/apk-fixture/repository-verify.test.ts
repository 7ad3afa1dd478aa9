import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadApkKeys, readApkIndex, readApkPackage } from '@levitate/tools/apk';
import { buildApkFixtureRepository } from './build-repository.ts';
import type { ApkFixtureRepository } from './build-repository.ts';
import { field, parseInstalledDb } from './installed-db.ts';
import {
  alpineChrootReference,
  createAlpineChroot,
  describeWithReference,
} from '@levitate/tools/test-support';
import type { AlpineChroot } from '@levitate/tools/test-support';

const APK = alpineChrootReference("Alpine's apk 2.14");

/** Every APKINDEX record as its single-letter fields. */
function indexRecords(text: string): Map<string, Map<string, string>> {
  const records = new Map<string, Map<string, string>>();
  for (const block of text.split('\n\n')) {
    const fields = new Map(
      block
        .split('\n')
        .filter((line) => line[1] === ':')
        .map((line) => [line[0] ?? '', line.slice(2)] as const),
    );
    const name = fields.get('P');
    if (name !== undefined) records.set(name, fields);
  }
  return records;
}

describeWithReference(APK, 'the fixture repository under apk verify', () => {
  let alpine: AlpineChroot;
  let repository: ApkFixtureRepository;
  let archDir: string;
  let files: string[];

  beforeAll(async () => {
    alpine = await createAlpineChroot();
    repository = await buildApkFixtureRepository({
      outDir: alpine.host('/fixture'),
      arch: 'x86_64',
    });
    archDir = join(repository.repoDir, 'x86_64');
    files = (await readdir(archDir)).filter((name) => name.endsWith('.apk')).sort();
  }, 180_000);
  afterAll(() => alpine.dispose());

  it('rebuilds every package of the minirootfs, and only /etc/shadow changed since', async () => {
    const installed = parseInstalledDb(
      await readFile(alpine.host('/lib/apk/db/installed'), 'utf8'),
    );
    const names = repository.packages.map((pkg) => `${pkg.name}-${pkg.version}`);
    for (const pkg of installed) {
      expect(names).toContain(`${field(pkg, 'P')}-${field(pkg, 'V')}`);
    }
    expect(repository.changedFiles).toEqual([
      { package: 'alpine-baselayout-data', path: '/etc/shadow' },
    ]);
    expect(files).toEqual(names.map((label) => `${label}.apk`).sort());
  });

  it('passes apk verify for every package with the test key', async () => {
    const result = await alpine.apk([
      'verify',
      '--keys-dir',
      '/fixture/keys',
      ...files.map((name) => `/fixture/repo/x86_64/${name}`),
    ]);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(files.length);
    expect(lines.every((line) => line.endsWith(': 0 - OK'))).toBe(true);
  });

  it('fails apk verify for every package without it', async () => {
    const result = await alpine.apk([
      'verify',
      ...files.map((name) => `/fixture/repo/x86_64/${name}`),
    ]);
    expect(result.exitCode).not.toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(files.length);
    expect(lines.every((line) => line.endsWith('UNTRUSTED'))).toBe(true);
  });

  it('indexes every package with its control hash and size, signed by the test key', async () => {
    const keys = await loadApkKeys(repository.keysDir);
    expect([...keys.keys()]).toEqual([repository.keyName]);
    expect(repository.keyName).toMatch(/^acorn-fixture-[0-9a-f]{8}\.rsa\.pub$/);
    const index = await readApkIndex(await readFile(join(archDir, 'APKINDEX.tar.gz')), {
      keys,
      requireSignature: true,
      file: 'APKINDEX.tar.gz',
    });
    expect(index.signer).toBe(repository.keyName);
    const records = indexRecords(index.text);
    expect([...records.keys()].sort()).toEqual(repository.packages.map((pkg) => pkg.name).sort());
    for (const name of files) {
      const file = join(archDir, name);
      const pkg = await readApkPackage(file, { keys, requireSignature: true });
      const record = records.get(pkg.info.name);
      expect(record?.get('C'), name).toBe(pkg.controlHash);
      expect(record?.get('S'), name).toBe(String((await stat(file)).size));
      expect(record?.get('V')).toBe(pkg.info.version);
      expect(pkg.info.datahash).toBe(pkg.datahash);
    }
  });
});
