import { chmod, copyFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../core/run.ts';

const SPEC = `Name: levitate-hello
Version: 1.2
Release: 3
Epoch: 4
Summary: A tiny package for repository tests
License: MIT
BuildArch: noarch
Requires: (bash or dash)
Requires(pre): coreutils >= 8.0
Recommends: levitate-extra
Provides: hello-capability = 2

%description
Installs one configuration file and one script.

%install
mkdir -p %{buildroot}/etc %{buildroot}/usr/bin
echo 'greeting=hello' > %{buildroot}/etc/levitate-hello.conf
printf '#!/bin/sh\\necho hello\\n' > %{buildroot}/usr/bin/levitate-hello
chmod 755 %{buildroot}/usr/bin/levitate-hello

%files
/etc/levitate-hello.conf
/usr/bin/levitate-hello
`;

export const SIGNER = 'Repository Signer <signer@example.org>';
export const STRANGER = 'Someone Else <stranger@example.org>';

/** A repository built with rpmbuild and createrepo_c, and two OpenPGP keys, in a temp folder. */
export interface TestRepositories {
  /** The .rpm file. */
  readonly rpm: string;
  /** Builds a repository holding the package; `compress` is createrepo_c's type. */
  createRepository(name: string, compress?: string): Promise<string>;
  /** Writes `repodata/repomd.xml.asc` made by `signer`'s key. */
  sign(repository: string, signer: string): Promise<void>;
  /** The armored public key of `signer`. */
  publicKey(signer: string): Promise<Uint8Array>;
  fingerprint(signer: string): Promise<string>;
  /** A copy of a repository folder, to damage. */
  copy(repository: string, name: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function buildTestRepositories(): Promise<TestRepositories> {
  const runner = createRunner({ sourceDateEpoch: 1_700_000_000 });
  const root = await mkdtemp(join(tmpdir(), 'rpm-repo-test-'));
  const gnupg = join(root, 'gnupg');
  await mkdir(gnupg);
  await chmod(gnupg, 0o700);
  const gpg = (args: readonly string[], cwd?: string) =>
    runner.run(['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      env: { GNUPGHOME: gnupg },
      ...(cwd === undefined ? {} : { cwd }),
      timeoutMs: 30_000,
    });

  await writeFile(join(root, 'hello.spec'), SPEC);
  await runner.run(
    [
      'rpmbuild',
      '--quiet',
      '--define',
      `_topdir ${join(root, 'rpmbuild')}`,
      '--define',
      `_rpmdir ${join(root, 'rpms')}`,
      '--define',
      '_build_id_links none',
      '-bb',
      join(root, 'hello.spec'),
    ],
    { timeoutMs: 60_000 },
  );
  const [rpmName] = (await readdir(join(root, 'rpms', 'noarch'))).filter((f) => f.endsWith('.rpm'));
  if (rpmName === undefined) throw new Error('rpmbuild made no package');
  const rpm = join(root, 'rpms', 'noarch', rpmName);
  for (const user of [SIGNER, STRANGER]) {
    await gpg(['--quick-generate-key', user, 'ed25519', 'sign', 'never']);
  }

  return {
    rpm,
    async createRepository(name, compress) {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      await copyFile(rpm, join(dir, rpmName));
      const compression = compress === undefined ? [] : ['--general-compress-type', compress];
      await runner.run(['createrepo_c', '--quiet', '--no-database', ...compression, dir], {
        timeoutMs: 60_000,
      });
      return dir;
    },
    async sign(repository, signer) {
      const repodata = join(repository, 'repodata');
      await rm(join(repodata, 'repomd.xml.asc'), { force: true });
      await gpg(['--local-user', signer, '--detach-sign', '--armor', 'repomd.xml'], repodata);
    },
    async publicKey(signer) {
      return new TextEncoder().encode((await gpg(['--export', '--armor', signer])).stdout);
    },
    async fingerprint(signer) {
      const listing = (await gpg(['--with-colons', '--fingerprint', signer])).stdout;
      const line = listing.split('\n').find((l) => l.startsWith('fpr:'));
      return line?.split(':')[9] ?? '';
    },
    async copy(repository, name) {
      const target = join(root, name);
      await cp(repository, target, { recursive: true });
      return target;
    },
    async cleanup() {
      await runner
        .run(['gpgconf', '--kill', 'gpg-agent'], { env: { GNUPGHOME: gnupg } })
        .catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A writable copy of a (read-only) repository folder; `cleanup` removes it. */
export async function temporaryCopy(
  dir: string,
): Promise<{ readonly dir: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'rpm-repo-copy-'));
  const target = join(root, 'repo');
  await cp(dir, target, { recursive: true });
  await chmodTree(target);
  return { dir: target, cleanup: () => rm(root, { recursive: true, force: true }) };
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(path);
    else await chmod(path, 0o644);
  }
}
