import { describe, expect, it } from 'vitest';
import { loadCentosBaseOs } from './test-support/centos.ts';
import { rpmPackage } from './test-support/builders.ts';
import { rpmInstallOrder } from './install-order.ts';
import { resolveRpm } from './resolve.ts';

const names = (packages: readonly { name: string }[]) => packages.map((pkg) => pkg.name);

describe('rpmInstallOrder', () => {
  it('installs what a package requires before it, by capability and by file', () => {
    const order = rpmInstallOrder([
      rpmPackage('audit-libs-3.0-1', { requires: ['libc.so.6()(64bit)'] }),
      rpmPackage('bash-5.2-1', { requires: ['filesystem >= 3', '/usr/sbin/ldconfig'] }),
      rpmPackage('filesystem-3.18-1', { requires: ['setup'] }),
      rpmPackage('glibc-2.39-1', {
        provides: ['libc.so.6()(64bit)'],
        requires: ['basesystem'],
        files: ['/usr/sbin/ldconfig'],
      }),
      rpmPackage('basesystem-11-1.noarch', { requires: ['filesystem', 'setup'] }),
      rpmPackage('setup-2.14-1.noarch'),
    ]);
    expect(names(order)).toEqual([
      'setup',
      'filesystem',
      'basesystem',
      'glibc',
      'audit-libs',
      'bash',
    ]);
  });

  it('keeps a dependency loop together, ordered by its Requires(pre)', () => {
    // Without a prerequisite the member the search reached last goes first, as in rpm.
    const loop = rpmInstallOrder([
      rpmPackage('app-1-1', { requires: ['zlib'] }),
      rpmPackage('zlib-1-1', { requires: ['glibc'] }),
      rpmPackage('glibc-1-1', { requires: ['glibc-common'] }),
      rpmPackage('glibc-common-1-1', { requires: ['glibc'] }),
    ]);
    expect(names(loop)).toEqual(['glibc-common', 'glibc', 'zlib', 'app']);
    const pre = rpmInstallOrder([
      rpmPackage('glibc-1-1', { requires: ['glibc-common'] }),
      {
        ...rpmPackage('glibc-common-1-1'),
        requires: [{ name: 'glibc', pre: true }],
      },
    ]);
    expect(names(pre)).toEqual(['glibc', 'glibc-common']);
    const preReversed = rpmInstallOrder([
      { ...rpmPackage('glibc-1-1'), requires: [{ name: 'glibc-common', pre: true }] },
      rpmPackage('glibc-common-1-1', { requires: ['glibc'] }),
    ]);
    expect(names(preReversed)).toEqual(['glibc-common', 'glibc']);
  });

  it('installs a real set in the order rpm does when given it by name', async () => {
    const repository = await loadCentosBaseOs();
    const resolution = await resolveRpm([repository], ['systemd', 'bash', 'kmod', 'util-linux'], {
      arch: 'x86_64',
    });
    const order = names(rpmInstallOrder(resolution.packages));
    expect(order).toHaveLength(resolution.packages.length);
    expect(new Set(order).size).toBe(order.length);
    // What rpm 4.18 prints for the same packages rebuilt empty with their dependencies. The
    // loop of ncurses-libs, bash, filesystem, basesystem and the glibc packages starts at the
    // member farthest from the Requires(pre) inside it (basesystem's on filesystem, glibc's on
    // basesystem): ncurses-libs, which bash needs, which filesystem needs.
    expect(order.slice(0, 19)).toEqual([
      'libgcc',
      'tzdata',
      'pcre2-syntax',
      'ncurses-base',
      'crypto-policies',
      'coreutils-common',
      'centos-gpg-keys',
      'centos-stream-release',
      'centos-stream-repos',
      'setup',
      'ncurses-libs',
      'bash',
      'filesystem',
      'basesystem',
      'glibc-gconv-extra',
      'glibc-minimal-langpack',
      'glibc-common',
      'glibc',
      'zlib',
    ]);
    expect(order.slice(-3)).toEqual(['dbus-common', 'dbus-broker', 'kmod']);
  });
});
