import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { createRunner } from '@levitate/tools';
import { loadRpmRepository, localRepoSource } from '@levitate/tools/rpm-repo';
import { resolveRpm } from '@levitate/tools/rpm-resolve';
import { RPM_REPOSITORIES, buildRpmFixtureRepository, repositoryDir } from './build-repository.ts';
import type { RpmFixtureRepository } from './build-repository.ts';
import { buildInstallIso } from './install-iso.ts';

const runner = createRunner({
  baseEnv: { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` },
});
const ANY_EXIT = Array.from({ length: 255 }, (_, code) => code + 1);

/** sha256 of every file under `dir`, by path relative to it. */
async function digests(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        result.set(
          relative(dir, path),
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex'),
        );
    }
  };
  await walk(dir);
  return result;
}

describe('the LevitateOS fixture repositories', () => {
  let work: string;
  let repository: RpmFixtureRepository;
  let rpmFiles: string[];
  let variantPackages: readonly string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rpm-fixture-test-'));
    repository = await buildRpmFixtureRepository({ outDir: join(work, 'first') });
    rpmFiles = repository.packages.map((pkg) => join(work, 'first', pkg.file));
    variantPackages = (await loadVariant('levitate')).packages;
  }, 300_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('lays the packages out as Rocky mirrors do, less in AppStream', async () => {
    for (const pkg of repository.packages) {
      const name = pkg.file.slice(pkg.file.lastIndexOf('/') + 1);
      expect(pkg.file).toBe(`${pkg.repository}/x86_64/os/Packages/${name.charAt(0)}/${name}`);
    }
    expect(repository.packages.find((pkg) => pkg.name === 'less')?.repository).toBe('AppStream');
    for (const repo of RPM_REPOSITORIES) {
      expect(await readdir(join(repository.repoDirs[repo], 'repodata'))).toContain('repomd.xml');
    }
    expect(await readdir(repository.keysDir)).toEqual(['RPM-GPG-KEY-levitate-fixture']);
  });

  it('passes rpm -K for every package with the test key, and only with it', async () => {
    const dbPath = join(work, 'rpmdb');
    await mkdir(dbPath);
    const keyFile = join(repository.keysDir, repository.keyName);
    const untrusted = await runner.run(['rpm', '--dbpath', dbPath, '-K', ...rpmFiles], {
      allowExitCodes: ANY_EXIT,
    });
    expect(untrusted.exitCode).not.toBe(0);
    await runner.run(['rpm', '--dbpath', dbPath, '--import', keyFile]);
    const checked = await runner.run(['rpm', '--dbpath', dbPath, '-K', ...rpmFiles]);
    const lines = checked.stdout.trim().split('\n');
    expect(lines).toHaveLength(rpmFiles.length);
    expect(lines.every((line) => line.endsWith(': digests signatures OK'))).toBe(true);
  });

  /** dnf on both fixture repositories, signatures checked with the test key, into `root`. */
  function dnf(root: string, args: readonly string[]): string[] {
    const key = `file://${join(repository.keysDir, repository.keyName)}`;
    const repos = RPM_REPOSITORIES.flatMap((repo) => {
      const id = repo.toLowerCase();
      return [
        `--repofrompath=${id},${repository.repoDirs[repo]}`,
        `--setopt=${id}.gpgcheck=1`,
        `--setopt=${id}.gpgkey=${key}`,
      ];
    });
    return [
      'dnf',
      '--installroot',
      root,
      '--setopt=reposdir=/dev/null',
      `--setopt=cachedir=${join(work, 'dnf-cache')}`,
      '--setopt=install_weak_deps=False',
      '--releasever=10',
      ...repos,
      ...args,
    ];
  }

  it("lets dnf resolve the variant's packages from both repositories", async () => {
    const result = await runner.run(
      dnf(join(work, 'dnf-root'), ['--assumeno', 'install', ...variantPackages, 'nodejs']),
      { allowExitCodes: [1], timeoutMs: 120_000 },
    );
    expect(result.stdout).toContain('Transaction Summary');
    // Every package but kernel-modules-extra, which LevitateOS does not ask for (nodejs, which
    // runs `recipe`, is asked for here).
    expect(result.stdout).toContain(`Install  ${repository.packages.length - 1} Packages`);
    expect(result.stdout).not.toContain('kernel-modules-extra');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Problem|nothing provides/);
  });

  it('installs nodejs with dnf, and Node.js runs ES modules and has fetch in the root', async () => {
    const root = join(work, 'nodejs-root');
    const install = await runner.run(dnf(root, ['-y', 'install', 'nodejs']), {
      timeoutMs: 240_000,
    });
    expect(install.exitCode, install.stderr).toBe(0);
    const node = await runner.run([
      'chroot',
      root,
      '/usr/bin/node',
      '--input-type=module',
      '-e',
      "import { createHash } from 'node:crypto'; console.log(process.versions.node.split('.')[0] >= 18, typeof fetch, createHash('sha256').update('').digest('hex').slice(0, 8));",
    ]);
    expect(node.stdout.trim()).toBe('true function e3b0c442');
  }, 300_000);

  it("resolves the variant's packages with the builders' own resolver", async () => {
    const repos = await Promise.all(
      RPM_REPOSITORIES.map((repo, index) =>
        loadRpmRepository(localRepoSource(repository.repoDirs[repo]), {
          name: repo,
          priority: 10 * (index + 1),
          requireSignature: false,
          arch: 'x86_64',
        }),
      ),
    );
    const resolution = await resolveRpm(repos, variantPackages, { arch: 'x86_64' });
    const names = resolution.packages.map((pkg) => pkg.name);
    expect(names).toEqual(
      expect.arrayContaining([...variantPackages, 'dbus', 'pam', 'systemd-libs']),
    );
    expect(resolution.packages.find((pkg) => pkg.name === 'less')?.repository).toBe('AppStream');
  });

  it('ships a merged /usr: only filesystem has anything in /bin, /sbin, /lib or /lib64', async () => {
    const { stdout } = await runner.run([
      'rpm',
      '-qp',
      '--qf',
      '[%{=NAME} %{FILENAMES}\\n]',
      ...rpmFiles,
    ]);
    const outside = stdout
      .split('\n')
      .filter((line) => /^\S+ \/(bin|sbin|lib|lib64)(\/|$)/.test(line))
      .filter((line) => !line.startsWith('filesystem '));
    expect(outside).toEqual([]);
    expect(stdout).toContain('glibc /usr/lib64/ld-linux-x86-64.so.2');
    expect(stdout).toContain('glibc /usr/sbin/ldconfig');
    expect(stdout).toContain('systemd /usr/sbin/init');
    expect(stdout).toContain('kernel-core /usr/lib/modules/');
  });

  it('requires the packages of the libraries each package loads', async () => {
    const requires = async (name: string) => {
      const pkg = repository.packages.find((candidate) => candidate.name === name);
      const { stdout } = await runner.run([
        'rpm',
        '-qp',
        '--requires',
        join(work, 'first', pkg?.file ?? ''),
      ]);
      return stdout.split('\n');
    };
    expect(await requires('bash')).toEqual(expect.arrayContaining(['glibc', 'ncurses-libs']));
    expect(await requires('systemd')).toEqual(
      expect.arrayContaining(['glibc', 'libselinux', 'pam', 'dbus']),
    );
    expect(await requires('glibc')).toEqual(
      expect.arrayContaining(['basesystem', '/usr/sbin/ldconfig']),
    );
  });

  it("splits the kernel as Rocky's, modules xz-compressed with CRC32 and no modules.dep", async () => {
    const file = (name: string) => {
      const pkg = repository.packages.find((candidate) => candidate.name === name);
      return join(work, 'first', pkg?.file ?? '');
    };
    const list = async (name: string) =>
      (await runner.run(['rpm', '-qlp', file(name)])).stdout.split('\n');
    const core = await list('kernel-core');
    for (const name of ['vmlinuz', 'config', 'System.map', 'modules.order', 'modules.builtin']) {
      expect(core).toContainEqual(
        expect.stringMatching(new RegExp(`^/usr/lib/modules/[^/]+/${name}$`)),
      );
    }
    expect(core.filter((path) => /\.ko|modules\.(dep|alias)/.test(path))).toEqual([]);
    const squashfs = (await list('kernel-modules-core')).find((path) =>
      path.endsWith('/kernel/fs/squashfs/squashfs.ko.xz'),
    );
    expect(squashfs).toBeDefined();
    for (const name of ['kernel-modules', 'kernel-modules-extra']) {
      const modules = (await list(name)).filter((path) => path.includes('.ko'));
      expect(modules.length, name).toBeGreaterThan(0);
      expect(modules.filter((path) => !path.endsWith('.ko.xz'))).toEqual([]);
    }
    // The kernel's own xz reader checks only CRC32: byte 7 of the stream header names the check.
    const bytes = (
      await runner.runBinary(['bsdtar', '-xOf', file('kernel-modules-core'), `.${squashfs ?? ''}`])
    ).stdout;
    expect([...bytes.subarray(0, 8)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x01]);
    const requires = await runner.run(['rpm', '-qp', '--requires', file('kernel-core')]);
    expect(requires.stdout).toMatch(/^kernel-modules-core-uname-r = /m);
  });

  it('publishes zstd metadata, as createrepo_c 1.0 does', async () => {
    for (const name of RPM_REPOSITORIES) {
      const repodata = join(repositoryDir(join(work, 'first'), name), 'repodata');
      const files = await readdir(repodata);
      expect(files.filter((file) => file.endsWith('.xml.zst')).length, name).toBe(3);
      expect(
        files.filter((file) => file.endsWith('.gz')),
        name,
      ).toEqual([]);
    }
  });

  it('builds byte-identical packages and repodata again with the same key', async () => {
    const second = join(work, 'second');
    await buildRpmFixtureRepository({ outDir: second, secretKey: repository.secretKey });
    const [a, b] = await Promise.all([digests(join(work, 'first')), digests(second)]);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, digest] of a) expect(b.get(path), path).toBe(digest);
  }, 300_000);

  it('makes a deterministic install ISO of the repositories', async () => {
    const iso = (name: string) =>
      buildInstallIso({
        repoRoot: join(work, 'first'),
        out: join(work, name),
        volumeId: 'Rocky-10-0-x86_64-dvd',
      });
    const [a, b] = await Promise.all([iso('a.iso'), iso('b.iso')]);
    const sha = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    expect(await sha(a)).toBe(await sha(b));
    const { stdout } = await runner.run(
      [
        'xorriso',
        '-no_rc',
        '-indev',
        a,
        '-find',
        '/',
        '-maxdepth',
        '2',
        '-type',
        'f',
        '-o',
        '-maxdepth',
        '2',
        '-type',
        'd',
      ],
      { allowExitCodes: [] },
    );
    for (const path of [
      '/BaseOS/repodata',
      '/BaseOS/Packages',
      '/AppStream/repodata',
      '/AppStream/Packages',
      '/media.repo',
      '/.treeinfo',
    ]) {
      expect(stdout).toContain(`'${path}'`);
    }
  }, 120_000);
});
