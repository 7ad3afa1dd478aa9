import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, readPublicKeys } from '../openpgp/index.ts';
import type { Keyring } from '../openpgp/index.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { loadRpmRepository, localRepoSource, readRepomd } from './index.ts';
import { SIGNER, STRANGER, buildTestRepositories } from './test-repository.ts';
import type { TestRepositories } from './test-repository.ts';

let repos: TestRepositories;
let signed: string;
let signerKeys: Keyring;
let strangerKeys: Keyring;

beforeAll(async () => {
  repos = await buildTestRepositories();
  signed = await repos.createRepository('signed');
  await repos.sign(signed, SIGNER);
  signerKeys = createKeyring(readPublicKeys(await repos.publicKey(SIGNER)));
  strangerKeys = createKeyring(readPublicKeys(await repos.publicKey(STRANGER)));
}, 60_000);

afterAll(async () => {
  await repos.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<PackageVerifyError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PackageVerifyError);
  return error as PackageVerifyError;
}

describe('repomd.xml signed with gpg', () => {
  it('verifies with the signing key and names it', async () => {
    const repomd = await readRepomd(localRepoSource(signed), {
      keyring: signerKeys,
      requireSignature: true,
      name: 'hello',
    });
    expect(repomd.signature?.primary.fingerprint).toBe(await repos.fingerprint(SIGNER));
    expect(repomd.data.map((entry) => entry.type).sort()).toEqual([
      'filelists',
      'other',
      'primary',
    ]);
  });

  it('loads the package that rpmbuild made, with its dependencies', async () => {
    const repo = await loadRpmRepository(localRepoSource(signed), {
      name: 'hello',
      priority: 10,
      keyring: signerKeys,
      requireSignature: true,
    });
    expect(repo.repomd.signature).toBeDefined();
    expect(repo.packages).toHaveLength(1);
    const [hello] = repo.packages;
    expect(hello).toMatchObject({
      repository: 'hello',
      name: 'levitate-hello',
      arch: 'noarch',
      evr: { epoch: 4, version: '1.2', release: '3' },
      summary: 'A tiny package for repository tests',
      license: 'MIT',
      location: 'levitate-hello-1.2-3.noarch.rpm',
      sourceRpm: 'levitate-hello-1.2-3.src.rpm',
      files: ['/etc/levitate-hello.conf', '/usr/bin/levitate-hello'],
      recommends: [{ name: 'levitate-extra' }],
    });
    const rpmBytes = await readFile(repos.rpm);
    expect(hello?.packageSize).toBe(rpmBytes.length);
    expect(hello?.requires).toContainEqual({ name: '(bash or dash)' });
    expect(hello?.requires).toContainEqual({
      name: 'coreutils',
      flags: 'GE',
      epoch: '0',
      version: '8.0',
      pre: true,
    });
    expect(hello?.provides).toContainEqual({
      name: 'hello-capability',
      flags: 'EQ',
      epoch: '0',
      version: '2',
    });
    const lists = [];
    for await (const list of repo.filelists()) lists.push(list);
    expect(lists).toEqual([
      {
        pkgid: hello?.checksum.value,
        name: 'levitate-hello',
        arch: 'noarch',
        evr: { epoch: 4, version: '1.2', release: '3' },
        files: ['/etc/levitate-hello.conf', '/usr/bin/levitate-hello'],
      },
    ]);
  });

  it('refuses a repomd.xml changed after signing', async () => {
    const copy = await repos.copy(signed, 'tampered');
    const path = join(copy, 'repodata', 'repomd.xml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/<revision>\d+/, '<revision>1'));
    const error = await rejection(
      readRepomd(localRepoSource(copy), {
        keyring: signerKeys,
        requireSignature: true,
        name: 'hello',
      }),
    );
    expect(error.message).toContain('repository "hello"');
    expect(error.file).toMatch(/tampered\/repodata\/repomd\.xml$/);
    expect(error.message).toMatch(/signature does not verify/);
  });

  it('refuses a signature by a key that is not trusted', async () => {
    const error = await rejection(
      readRepomd(localRepoSource(signed), { keyring: strangerKeys, requireSignature: true }),
    );
    expect(error.message).toMatch(/signature does not verify/);
  });

  it('refuses a good signature from the wrong signer even when not required', async () => {
    const copy = await repos.copy(signed, 'wrong-signer');
    await repos.sign(copy, STRANGER);
    await rejection(
      readRepomd(localRepoSource(copy), { keyring: signerKeys, requireSignature: false }),
    );
  });

  it('requires repomd.xml.asc when a signature is required, and only then', async () => {
    const unsigned = await repos.createRepository('unsigned');
    const error = await rejection(
      readRepomd(localRepoSource(unsigned), { keyring: signerKeys, requireSignature: true }),
    );
    expect(error.message).toMatch(/no repomd\.xml\.asc/);
    const repomd = await readRepomd(localRepoSource(unsigned), {
      keyring: signerKeys,
      requireSignature: false,
    });
    expect(repomd.signature).toBeUndefined();
  });

  it('refuses to require a signature without keys', async () => {
    const error = await rejection(readRepomd(localRepoSource(signed), { requireSignature: true }));
    expect(error.message).toMatch(/no keys were given/);
  });
});

describe.each(['xz', 'bz2', 'gz'])('metadata compressed with %s', (compress) => {
  it('loads', async () => {
    const dir = await repos.createRepository(`compressed-${compress}`, compress);
    const repo = await loadRpmRepository(localRepoSource(dir), {
      name: compress,
      priority: 1,
      requireSignature: false,
    });
    expect(repo.repomd.data.find((entry) => entry.type === 'primary')?.location).toMatch(
      new RegExp(`primary\\.xml\\.${compress}$`),
    );
    expect(repo.packages.map((p) => p.name)).toEqual(['levitate-hello']);
    let files = 0;
    for await (const list of repo.filelists()) files += list.files.length;
    expect(files).toBe(2);
  });
});
