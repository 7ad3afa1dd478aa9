import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { MetadataMissingError, loadRpmRepository, localRepoSource } from './index.ts';
import type { RpmFilelist, RpmRepoPackage, RpmRepository } from './index.ts';
import { pythonReading } from './ground-truth.ts';
import { temporaryCopy } from './test-repository.ts';

const ROOT = fixture('repodata', 'centos-stream-9-baseos-x86_64');
const REPODATA = join(ROOT, 'repodata');
const PRIMARY = join(
  REPODATA,
  '130494033cb9bffa40828ebc814d016920d9ce5d60041467af283ffcf38adef0-primary.xml.gz',
);
const FILELISTS = join(
  REPODATA,
  '7b99933643e8bff43d3d82180e7d678fac89b6a1b9b8f5f88ea93a5c3b9b5dbd-filelists.xml.gz',
);
const COMPS = join(
  REPODATA,
  '2ac4e27794f840034a13bb60800aba194e89fcd2175c87f57cfbd649139feff3-comps-BaseOS.x86_64.xml.gz',
);

/** The decompressed primary.xml as text, for grep-style counts. */
const primaryText = gunzipSync(readFileSync(PRIMARY)).toString('utf8');
const occurrences = (needle: string) => primaryText.split(needle).length - 1;

let repo: RpmRepository;
/** Python reads the same files at the same time as the loader, to keep the suite quick. */
let python: Promise<[unknown, unknown, unknown]>;
beforeAll(async () => {
  python = Promise.all([
    pythonReading('primary', PRIMARY),
    pythonReading('comps', COMPS),
    pythonReading('filelists', FILELISTS),
  ]);
  python.catch(() => undefined);
  repo = await loadRpmRepository(localRepoSource(ROOT), {
    name: 'baseos',
    priority: 10,
    requireSignature: false,
  });
});

function find(name: string, arch: string): RpmRepoPackage {
  const found = repo.packages.find((p) => p.name === name && p.arch === arch);
  if (found === undefined) throw new Error(`${name}.${arch} not loaded`);
  return found;
}

describe('CentOS Stream 9 BaseOS primary', () => {
  it('has exactly the 1125 packages the file holds', () => {
    expect(repo.packages).toHaveLength(1125);
    expect(occurrences('<package type="rpm">')).toBe(1125);
    expect(repo.revision).toBe('1644263915');
    expect(repo.packages.every((p) => p.repository === 'baseos')).toBe(true);
  });

  it('reads every field of every package as Python xml.etree reads them', async () => {
    const [expected] = await python;
    expect(repo.packages.map(({ repository: _, ...rest }) => rest)).toEqual(expected);
  });

  it('keeps every rich dependency and every pre="1" flag', () => {
    const all = repo.packages.flatMap((p) => [
      ...p.provides,
      ...p.requires,
      ...p.conflicts,
      ...p.obsoletes,
      ...p.recommends,
      ...p.suggests,
      ...p.supplements,
      ...p.enhances,
    ]);
    expect(all.filter((d) => d.name.startsWith('('))).toHaveLength(
      occurrences('<rpm:entry name="('),
    );
    expect(all.filter((d) => d.pre === true)).toHaveLength(occurrences(' pre="1"'));
    expect(find('cockpit-ws', 'x86_64').requires).toContainEqual({
      name: '(policycoreutils if selinux-policy-targeted)',
      pre: true,
    });
    expect(find('cockpit-ws', 'x86_64').requires).toContainEqual({
      name: '(selinux-policy >= 34.1.22-1.el9 if selinux-policy-targeted)',
    });
  });

  it('reads bash as the file says', () => {
    const bash = find('bash', 'x86_64');
    expect(bash).toMatchObject({
      evr: { epoch: 0, version: '5.1.8', release: '2.el9' },
      checksum: {
        type: 'sha256',
        value: '3d45552ea940db0556dd2dc73e92c20c0d7cbc9e617f251904f20475d4ecc6b6',
      },
      summary: 'The GNU Bourne Again shell',
      packageSize: 1772315,
      installedSize: 7739748,
      location: 'Packages/bash-5.1.8-2.el9.x86_64.rpm',
      buildTime: 1628537586,
      sourceRpm: 'bash-5.1.8-2.el9.src.rpm',
      license: 'GPLv3+',
      vendor: 'CentOS',
      headerRange: { start: 31064, end: 55213 },
    });
    expect(bash.provides).toEqual([
      { name: '/bin/bash' },
      { name: '/bin/sh' },
      { name: 'bash', flags: 'EQ', epoch: '0', version: '5.1.8', release: '2.el9' },
      { name: 'bash(x86-64)', flags: 'EQ', epoch: '0', version: '5.1.8', release: '2.el9' },
      { name: 'config(bash)', flags: 'EQ', epoch: '0', version: '5.1.8', release: '2.el9' },
    ]);
    expect(bash.requires).toEqual([
      { name: 'filesystem', flags: 'GE', epoch: '0', version: '3' },
      { name: 'libtinfo.so.6()(64bit)' },
      { name: 'rtld(GNU_HASH)' },
      { name: 'libc.so.6(GLIBC_2.34)(64bit)' },
    ]);
    expect(bash.files).toHaveLength(22);
    expect(bash.files.slice(0, 5)).toEqual([
      '/etc/skel/.bash_logout',
      '/etc/skel/.bash_profile',
      '/etc/skel/.bashrc',
      '/usr/bin/alias',
      '/usr/bin/bash',
    ]);
  });

  it('reads systemd and glibc for both architectures', () => {
    for (const arch of ['x86_64', 'i686']) {
      const systemd = find('systemd', arch);
      expect(systemd.evr).toEqual({ epoch: 0, version: '249', release: '9.el9' });
      expect(systemd.files).toHaveLength(87);
      expect(systemd.provides).toContainEqual({ name: '/bin/systemctl' });
      expect(systemd.license).toBe('LGPLv2+ and MIT and GPLv2+');
      const glibc = find('glibc', arch);
      expect(glibc.evr).toEqual({ epoch: 0, version: '2.34', release: '21.el9' });
    }
    expect(find('systemd', 'i686').checksum.value).toBe(
      '6dae92857026bf866e5dea189b8580ac76dfdc386c903ec502f3779ce6d02538',
    );
    expect(find('glibc', 'i686').requires).toContainEqual({
      name: '(glibc-gconv-extra(x86-32) = 2.34-21.el9 if redhat-rpm-config)',
    });
    expect(find('glibc', 'i686').recommends).toContainEqual({
      name: '(nss_db(x86-32) if nss_db(x86-64))',
    });
    expect(find('glibc', 'x86_64').requires).toContainEqual({
      name: '(glibc-gconv-extra(x86-64) = 2.34-21.el9 if redhat-rpm-config)',
    });
  });

  it('keeps only the requested architecture and noarch', async () => {
    const x86 = await loadRpmRepository(localRepoSource(ROOT), {
      name: 'baseos',
      priority: 10,
      requireSignature: false,
      arch: 'x86_64',
    });
    const expected = repo.packages.filter((p) => p.arch === 'x86_64' || p.arch === 'noarch');
    expect(x86.packages).toEqual(expected);
    expect(x86.packages.some((p) => p.arch === 'i686')).toBe(false);
  });
});

describe('CentOS Stream 9 BaseOS comps', () => {
  it('reads the groups and environments as Python does', async () => {
    const expected = (await python)[1] as {
      groups: { id: string }[];
      environments: unknown[];
    };
    const comps = repo.comps;
    expect(
      comps?.groups.map(({ id, mandatory, default: d, optional }) => ({
        id,
        mandatory,
        default: d,
        optional,
      })),
    ).toEqual(expected.groups);
    expect(
      comps?.environments.map(({ id, groups, optionalGroups }) => ({
        id,
        groups,
        optionalGroups,
      })),
    ).toEqual(expected.environments);
  });

  it('has the core group and the minimal environment', () => {
    const core = repo.comps?.groups.find((g) => g.id === 'core');
    expect(core?.name).toBe('Core');
    expect(core?.mandatory).toEqual(expect.arrayContaining(['bash', 'glibc', 'dnf', 'filesystem']));
    expect(core?.default).toContain('NetworkManager');
    expect(core?.optional).toContain('dracut-network');
    expect(repo.comps?.environments.find((e) => e.id === 'minimal-environment')).toEqual({
      id: 'minimal-environment',
      name: 'Minimal Install',
      groups: ['core'],
      optionalGroups: ['guest-agents', 'standard'],
    });
  });
});

describe('CentOS Stream 9 BaseOS filelists', () => {
  it('reads every file list as Python does, only when asked', async () => {
    const expected = (await python)[2] as Record<string, string[]>;
    const lists: RpmFilelist[] = [];
    for await (const list of repo.filelists()) lists.push(list);
    expect(lists).toHaveLength(1125);
    expect(Object.fromEntries(lists.map((l) => [l.pkgid, l.files]))).toEqual(expected);
    const bash = lists.find((l) => l.name === 'bash');
    expect(bash).toMatchObject({
      pkgid: find('bash', 'x86_64').checksum.value,
      arch: 'x86_64',
      evr: { epoch: 0, version: '5.1.8', release: '2.el9' },
    });
    expect(bash?.files).toHaveLength(132);
    expect(bash?.files).toContain('/usr/share/doc/bash');
  });

  it('is not read by loading: a repository without it loads, and fails only when asked', async () => {
    const copy = await temporaryCopy(ROOT);
    try {
      const [filelists] = (await readdir(join(copy.dir, 'repodata'))).filter((f) =>
        f.includes('filelists'),
      );
      await rm(join(copy.dir, 'repodata', filelists ?? ''));
      const loaded = await loadRpmRepository(localRepoSource(copy.dir), {
        name: 'baseos-copy',
        priority: 1,
        requireSignature: false,
      });
      expect(loaded.packages).toHaveLength(1125);
      const iterate = async () => {
        for await (const _ of loaded.filelists()) {
          // Reading must fail before the first list.
        }
      };
      const error = await iterate().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(MetadataMissingError);
      expect((error as MetadataMissingError).message).toMatch(
        /^repository "baseos-copy", filelists metadata: listed in repomd.xml but not found at file:\/\/\S+-filelists\.xml\.gz$/,
      );
      expect((error as MetadataMissingError).file).toContain('filelists.xml.gz');
    } finally {
      await copy.cleanup();
    }
  });
});
