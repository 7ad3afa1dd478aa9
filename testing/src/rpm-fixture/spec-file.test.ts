import { describe, expect, it } from 'vitest';
import { rootOwned } from '../debian/entries.ts';
import { basesystemPackage, filesystemPackage, setupPackage } from './base-packages.ts';
import { mergeUsr, mergedUsrPath, mergedUsrTarget } from './merged-usr.ts';
import type { RpmEntry } from './package-spec.ts';
import { rockyReleasePackage } from './release-package.ts';
import { rpmEvrOf } from './rpm-version.ts';
import { gpgTime } from './signing-key.ts';
import { filesLine, filesListPath, specFileText } from './spec-file.ts';

const bytes = new TextEncoder().encode('x');

describe('rpmEvrOf', () => {
  it.each([
    ['1:4.13+dfsg1-1+deb12u2', { epoch: 1, version: '4.13+dfsg1', release: '1+deb12u2.el10' }],
    ['252.39-1~deb12u2', { version: '252.39', release: '1~deb12u2.el10' }],
    ['2:1.02.185-2', { epoch: 2, version: '1.02.185', release: '2.el10' }],
    ['30+20221128-1', { version: '30+20221128', release: '1.el10' }],
    ['1.0', { version: '1.0', release: '0.el10' }],
  ])('turns Debian %s into an RPM epoch, version and release', (debian, evr) => {
    expect(rpmEvrOf(debian)).toEqual(evr);
  });
});

describe('merged /usr', () => {
  it.each([
    ['/bin/bash', '/usr/bin/bash'],
    ['/sbin/ldconfig', '/usr/sbin/ldconfig'],
    ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6'],
    ['/lib64/ld-linux-x86-64.so.2', '/usr/lib64/ld-linux-x86-64.so.2'],
    ['/lib/systemd/system/getty@.service', '/usr/lib/systemd/system/getty@.service'],
    ['/usr/bin/less', '/usr/bin/less'],
    ['/etc/libx/a', '/etc/libx/a'],
    ['/library', '/library'],
  ])('stores %s as %s', (path, merged) => {
    expect(mergedUsrPath(path)).toBe(merged);
  });

  it('keeps link targets pointing at the same file', () => {
    expect(mergedUsrTarget('/sbin/modprobe', '/bin/kmod')).toBe('/usr/bin/kmod');
    expect(mergedUsrTarget('/lib/udev/x', '../../usr/lib/y')).toBe('../y');
    expect(mergedUsrTarget('/usr/bin/sh', 'bash')).toBe('bash');
    expect(mergedUsrTarget('/bin/rbash', 'bash')).toBe('bash');
    expect(mergedUsrTarget('/usr/sbin/x', '../../sbin/y')).toBe('y');
  });

  it('moves entries, merges folders, drops the top-level folders and refuses doubles', () => {
    const entries: RpmEntry[] = [
      rootOwned({ type: 'directory', path: '/lib', mode: 0o755 }),
      rootOwned({ type: 'directory', path: '/lib/x86_64-linux-gnu', mode: 0o755 }),
      rootOwned({ type: 'directory', path: '/usr/lib/x86_64-linux-gnu', mode: 0o755 }),
      rootOwned({
        type: 'file',
        path: '/lib/x86_64-linux-gnu/libz.so.1',
        mode: 0o644,
        content: bytes,
      }),
      rootOwned({ type: 'symlink', path: '/lib64/ld.so', mode: 0o777, target: '/lib/ld.so' }),
    ];
    expect(
      mergeUsr(entries).map((entry) => [entry.path, entry.type === 'symlink' ? entry.target : '']),
    ).toEqual([
      ['/usr/lib/x86_64-linux-gnu', ''],
      ['/usr/lib/x86_64-linux-gnu/libz.so.1', ''],
      ['/usr/lib64/ld.so', '/usr/lib/ld.so'],
    ]);
    const twice: RpmEntry[] = [
      rootOwned({ type: 'file', path: '/bin/a', mode: 0o755, content: bytes }),
      rootOwned({ type: 'file', path: '/usr/bin/a', mode: 0o755, content: bytes }),
    ];
    expect(() => mergeUsr(twice)).toThrow('/bin/a and /usr/bin/a are both /usr/bin/a');
  });
});

describe('%files lines', () => {
  it('quote names and double percent signs; refuse what rpm would glob', () => {
    expect(filesListPath('/usr/bin/[')).toBe('"/usr/bin/["');
    expect(filesListPath('/usr/lib/systemd/system/system-systemd\\x2dcryptsetup.slice')).toBe(
      '"/usr/lib/systemd/system/system-systemd\\x2dcryptsetup.slice"',
    );
    expect(filesListPath('/a b/100%')).toBe('"/a b/100%%"');
    expect(() => filesListPath('/usr/share/x*')).toThrow('rpm would glob');
    expect(() => filesListPath('/usr/share/[ab]')).toThrow('rpm would glob');
  });

  it('spell out directories, flags, capabilities and unusual ownership', () => {
    const file = rootOwned({ type: 'file' as const, path: '/etc/shadow', mode: 0, content: bytes });
    expect(filesLine({ ...file, flags: { config: 'noreplace' } })).toBe(
      '%config(noreplace) %attr(0000,root,root) "/etc/shadow"',
    );
    expect(
      filesLine({
        ...file,
        path: '/var/log/lastlog',
        mode: 0o644,
        flags: { ghost: true, verifyNot: ['md5', 'size'] },
      }),
    ).toBe('%ghost %verify(not md5 size) %attr(0644,root,root) "/var/log/lastlog"');
    expect(
      filesLine({
        ...file,
        path: '/usr/bin/newuidmap',
        mode: 0o755,
        flags: { caps: 'cap_setuid=ep' },
      }),
    ).toBe('%caps(cap_setuid=ep) "/usr/bin/newuidmap"');
    expect(
      filesLine({ ...file, path: '/usr/libexec/helper', mode: 0o4754, group: 'messagebus' }),
    ).toBe('%attr(4754,root,messagebus) "/usr/libexec/helper"');
    expect(filesLine(rootOwned({ type: 'directory', path: '/etc/x', mode: 0o755 }))).toBe(
      '%dir "/etc/x"',
    );
  });
});

describe('generated packages', () => {
  it.each([setupPackage(), filesystemPackage(), basesystemPackage(), rockyReleasePackage()])(
    'write the same .spec file every time: $name',
    (spec) => {
      const text = specFileText(spec);
      expect(specFileText(spec)).toBe(text);
      expect(text).toContain(`Name: ${spec.name}\n`);
      expect(text).toContain('AutoReqProv: no\n');
      expect(text).toContain(
        '%install\nmkdir -p %{buildroot}\ncp -a %{fixture_tree}/. %{buildroot}/',
      );
    },
  );

  it('setup ships the account files as config, shadow unreadable, lastlog as a ghost', () => {
    const text = specFileText(setupPackage());
    expect(text).toContain('%config(noreplace) %attr(0000,root,root) "/etc/shadow"');
    expect(text).toContain('%config(noreplace) "/etc/passwd"');
    expect(text).toMatch(/%ghost .*"\/var\/log\/lastlog"/);
    expect(text).toContain('%post\nif [ ! -e /var/log/lastlog ]');
  });

  it('filesystem makes /bin, /sbin, /lib and /lib64 links into /usr', () => {
    const links = filesystemPackage().entries.filter((entry) => entry.type === 'symlink');
    expect(
      links.map((entry) => [entry.path, entry.type === 'symlink' ? entry.target : '']),
    ).toEqual(
      expect.arrayContaining([
        ['/bin', 'usr/bin'],
        ['/sbin', 'usr/sbin'],
        ['/lib', 'usr/lib'],
        ['/lib64', 'usr/lib64'],
      ]),
    );
  });

  it('rocky-release disables every unit its presets do not enable', () => {
    const paths = rockyReleasePackage().entries.map((entry) => entry.path);
    expect(paths).toContain('/usr/lib/systemd/system-preset/90-default.preset');
    expect(paths).toContain('/usr/lib/systemd/system-preset/99-default-disable.preset');
    expect(paths).toContain('/etc/redhat-release');
  });
});

describe('gpgTime', () => {
  it('gives gpg a fixed clock at the epoch', () => {
    expect(gpgTime(1_725_580_800)).toBe('20240906T000000!');
  });
});
