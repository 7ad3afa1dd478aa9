import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApkKeys, readApkPackage, splitGzipMembers } from '@levitate/tools/apk';
import { buildApkFixtureRepository } from './build-repository.ts';
import type { ApkFixtureRepository } from './build-repository.ts';
import { generateSigningKey } from './signing-key.ts';

/** A package split into its signature member and the rest (control and data members). */
async function parts(repository: ApkFixtureRepository, name: string) {
  const file = join(repository.repoDir, 'x86_64', name);
  const keys = await loadApkKeys(repository.keysDir);
  const pkg = await readApkPackage(file, { keys, requireSignature: true });
  const bytes = new Uint8Array(await readFile(file));
  // Only the head: signature and control members end where the data member starts.
  const [signature, control] = splitGzipMembers(bytes.subarray(0, pkg.dataOffset));
  expect(control?.end).toBe(pkg.dataOffset);
  return {
    signature: bytes.subarray(0, signature?.end),
    controlAndData: bytes.subarray(signature?.end),
  };
}

describe('two builds with the same key', () => {
  let work: string;
  let first: ApkFixtureRepository;
  let second: ApkFixtureRepository;
  let names: string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'apk-fixture-twice-'));
    const key = generateSigningKey();
    const build = (dir: string) =>
      buildApkFixtureRepository({ outDir: join(work, dir), arch: 'x86_64', key });
    [first, second] = await Promise.all([build('first'), build('second')]);
    names = (await readdir(join(first.repoDir, 'x86_64'))).sort();
  }, 240_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('write the same files', async () => {
    expect(await readdir(join(second.repoDir, 'x86_64'))).toEqual(expect.arrayContaining(names));
    expect(names).toContain('APKINDEX.tar.gz');
    expect(names.filter((name) => name.endsWith('.apk'))).toHaveLength(first.packages.length);
  });

  it('write byte-identical control and data members for every package', async () => {
    for (const name of names.filter((file) => file.endsWith('.apk'))) {
      const [a, b] = await Promise.all([parts(first, name), parts(second, name)]);
      expect(Buffer.compare(a.controlAndData, b.controlAndData), name).toBe(0);
      // RSA PKCS#1 v1.5 signatures are deterministic: with one key, they match too.
      expect(Buffer.compare(a.signature, b.signature), name).toBe(0);
    }
  });

  it('write the same APKINDEX.tar.gz', async () => {
    const index = (repository: ApkFixtureRepository) =>
      readFile(join(repository.repoDir, 'x86_64', 'APKINDEX.tar.gz'));
    const [a, b] = await Promise.all([index(first), index(second)]);
    expect(a.equals(b)).toBe(true);
  });
});
