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
    const loop = rpmInstallOrder([
      rpmPackage('app-1-1', { requires: ['zlib'] }),
      rpmPackage('zlib-1-1', { requires: ['glibc'] }),
      rpmPackage('glibc-1-1', { requires: ['glibc-common'] }),
      rpmPackage('glibc-common-1-1', { requires: ['glibc'] }),
    ]);
    expect(names(loop)).toEqual(['glibc', 'glibc-common', 'zlib', 'app']);
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

  it('puts setup and filesystem first in a real set', async () => {
    const repository = await loadCentosBaseOs();
    const resolution = await resolveRpm([repository], ['systemd', 'bash', 'kmod', 'util-linux'], {
      arch: 'x86_64',
    });
    const order = names(rpmInstallOrder(resolution.packages));
    expect(order).toHaveLength(resolution.packages.length);
    expect(new Set(order).size).toBe(order.length);
    const at = (name: string) => order.indexOf(name);
    expect(at('setup')).toBeLessThan(at('filesystem'));
    for (const later of ['glibc', 'bash', 'systemd', 'kmod', 'util-linux']) {
      expect(at('filesystem'), later).toBeLessThan(at(later));
    }
    // glibc and bash require each other (through glibc-common); systemd comes after both.
    expect(at('glibc')).toBeLessThan(at('systemd'));
    expect(at('bash')).toBeLessThan(at('systemd'));
  });
});
