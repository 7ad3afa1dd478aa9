/**
 * An RPM repository on an install-DVD-like ISO image, read without mounting it: two signed
 * noarch packages built here with rpmbuild and rpmsign, indexed with createrepo_c, laid out as
 * BaseOS/ and AppStream/ and written with xorriso.
 */

import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariantForCli } from '../cli/load-variant.ts';
import type { UserError } from '../core/errors.ts';
import { createRunner } from '../core/run.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { makeIso } from '../iso9660-reader/test-images.support.ts';
import { loadRpmRepository } from '../rpm-repo/index.ts';
import { rpmBackend } from './rpm-backend.ts';
import type { BackendContext } from './index.ts';
import { fetchedRepoSource } from './rpm-source.ts';

const runner = createRunner({ sourceDateEpoch: 1_700_000_000 });
const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

let work: string;
let image: string;
const rpms: Record<'base' | 'app', string> = { base: '', app: '' };

function specFile(name: string, requires: string | undefined): string {
  return `Name: ${name}
Version: 1.0
Release: 1
Summary: A package for ISO repository tests
License: MIT
BuildArch: noarch
${requires === undefined ? '' : `Requires: ${requires}\n`}
%description
One file.

%install
mkdir -p %{buildroot}/usr/share/${name}
echo '${name}' > %{buildroot}/usr/share/${name}/name

%files
/usr/share/${name}/name
`;
}

async function gpg(home: string, ...args: string[]): Promise<string> {
  const result = await runner.run(['gpg', '--batch', '--homedir', home, ...args], {
    timeoutMs: 30_000,
  });
  return result.stdout;
}

/** A throw-away Ed25519 key; its armored public half is written to `<work>/<name>.asc`. */
async function newKey(name: string): Promise<string> {
  const home = join(work, `gnupg-${name}`);
  await mkdir(home, { mode: 0o700 });
  await gpg(
    home,
    '--passphrase',
    '',
    '--quick-gen-key',
    `${name} <${name}@example.invalid>`,
    'ed25519',
    'sign',
    'never',
  );
  await mkdir(join(work, `keys-${name}`));
  await writeFile(
    join(work, `keys-${name}`, `${name}.asc`),
    await gpg(home, '--armor', '--export'),
  );
  return home;
}

async function buildPackage(
  name: string,
  requires: string | undefined,
  signer: string,
): Promise<string> {
  const spec = join(work, `${name}.spec`);
  await writeFile(spec, specFile(name, requires));
  await runner.run(
    [
      'rpmbuild',
      '--quiet',
      '--define',
      `_topdir ${join(work, 'rpmbuild')}`,
      '--define',
      `_rpmdir ${join(work, 'rpms')}`,
      '--define',
      '_build_id_links none',
      '-bb',
      spec,
    ],
    { timeoutMs: 60_000 },
  );
  const file = join(work, 'rpms', 'noarch', `${name}-1.0-1.noarch.rpm`);
  await runner.run(
    [
      'rpmsign',
      '--define',
      `_gpg_path ${signer}`,
      '--define',
      '_gpg_name signer',
      '--define',
      '__gpg /usr/bin/gpg',
      '--addsign',
      file,
    ],
    { timeoutMs: 60_000 },
  );
  return file;
}

async function repositoryTree(root: string, rpm: string): Promise<void> {
  await mkdir(join(root, 'Packages', 'l'), { recursive: true });
  await copyFile(rpm, join(root, 'Packages', 'l', rpm.split('/').pop() ?? ''));
  await runner.run(['createrepo_c', '--quiet', '--no-database', root], { timeoutMs: 60_000 });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rpm-iso-'));
  const signer = await newKey('signer');
  await newKey('stranger');
  rpms.base = await buildPackage('levitate-iso-base', undefined, signer);
  rpms.app = await buildPackage('levitate-iso-app', 'levitate-iso-base', signer);
  const dvd = join(work, 'dvd');
  await repositoryTree(join(dvd, 'BaseOS'), rpms.base);
  await repositoryTree(join(dvd, 'AppStream'), rpms.app);
  // The signer's key on the medium itself, as install DVDs carry their vendor's.
  await copyFile(join(work, 'keys-signer', 'signer.asc'), join(dvd, 'RPM-GPG-KEY-Levitate-Test'));
  image = join(work, 'Levitate-Test-dvd1.iso');
  await makeIso(dvd, image, ['-R', '-J', '-V', 'LEVITATE_TEST']);
}, 120_000);

afterAll(async () => {
  for (const name of ['signer', 'stranger']) {
    await runner
      .run(['gpgconf', '--homedir', join(work, `gnupg-${name}`), '--kill', 'gpg-agent'])
      .catch(() => undefined);
  }
  await rm(work, { recursive: true, force: true });
});

async function contextFor(keys: 'signer' | 'stranger', cache: string): Promise<BackendContext> {
  const spec = await loadVariantForCli('levitate', {
    repositories: [{ url: image, keysDir: join(work, `keys-${keys}`) }],
  });
  return {
    spec,
    reporter: quiet,
    verify: true,
    keyDirs: [],
    stateDir: join(work, cache, 'state'),
    fetcher: createFetcher({ cacheDir: join(work, cache, 'downloads'), offline: true }),
  };
}

describe('an RPM repository inside an ISO image', () => {
  it('loads the metadata and fetches a package through the fetcher', async () => {
    const fetcher = createFetcher({ cacheDir: join(work, 'cache-direct') });
    const url = `${pathToFileURL(image).href}#BaseOS`;
    const repository = await loadRpmRepository(fetchedRepoSource(url, fetcher, 'baseos'), {
      name: 'baseos',
      priority: 50,
      requireSignature: false,
      arch: 'x86_64',
    });
    expect(repository.packages.map((pkg) => pkg.name)).toEqual(['levitate-iso-base']);
    const [record] = repository.packages;
    if (record === undefined) throw new Error('no package');
    const fetched = await fetcher.fetch({
      mirrors: [repository.url],
      path: record.location,
      expected: {
        size: record.packageSize,
        digest: { algorithm: 'sha256', hex: record.checksum.value },
      },
    });
    expect((await readFile(fetched.file)).equals(await readFile(rpms.base))).toBe(true);
    expect(fetched.url).toBe(`${image}#BaseOS/Packages/l/levitate-iso-base-1.0-1.noarch.rpm`);
  });

  it('resolves, fetches and verifies packages from every tree of the image', async () => {
    const context = await contextFor('signer', 'cache-backend');
    expect(context.spec.repositories.map((repository) => repository.name)).toEqual([
      'appstream',
      'baseos',
    ]);
    const universe = await rpmBackend.load(context.spec.repositories, context);
    const resolution = await universe.resolve(['levitate-iso-app']);
    expect(resolution.packages.map((pkg) => `${pkg.name}@${pkg.repository}`).sort()).toEqual([
      'levitate-iso-app@appstream',
      'levitate-iso-base@baseos',
    ]);
    const verified = await universe.fetch(resolution);
    expect(verified.map((pkg) => pkg.signer)).toEqual([expect.any(String), expect.any(String)]);
    const base = verified.find((pkg) => pkg.package.name === 'levitate-iso-base');
    expect((await readFile(base?.file ?? '')).equals(await readFile(rpms.base))).toBe(true);
    const paths: string[] = [];
    for await (const { entry } of base?.entries() ?? []) paths.push(entry.path);
    expect(paths.join(' ')).toContain('levitate-iso-base/name');
  });

  it('does not trust the keys on the image, but names them when no trusted key verifies', async () => {
    const context = await contextFor('stranger', 'cache-stranger');
    const universe = await rpmBackend.load(context.spec.repositories, context);
    const resolution = await universe.resolve(['levitate-iso-base']);
    const error = await universe.fetch(resolution).catch((err: unknown) => err);
    expect((error as UserError).code).toBe('package-unverified');
    expect((error as UserError).hint).toContain('RPM-GPG-KEY-Levitate-Test');
    expect((error as UserError).hint).toContain('--keys');
    // The refused package is not kept.
    const cached = await readdir(join(work, 'cache-stranger', 'downloads', 'sha256'), {
      recursive: true,
    });
    expect(cached.filter((name) => name.endsWith('.rpm') || name.length === 64)).toEqual([]);
  });
});
