import { rootOwned } from '../debian/entries.ts';
import { DIST, NO_RELATIONS } from './package-spec.ts';
import type { RpmEntry, RpmPackageSpec } from './package-spec.ts';

/** The Rocky release the fixture stands in for. */
export const ROCKY_RELEASE = '10.0';
const MAJOR = ROCKY_RELEASE.split('.')[0] ?? '10';

const encoder = new TextEncoder();

function file(path: string, text: string, config = true): RpmEntry {
  const entry = rootOwned({
    type: 'file' as const,
    path,
    mode: 0o644,
    content: encoder.encode(text),
  });
  return config ? { ...entry, flags: { config: 'noreplace' } } : entry;
}

function link(path: string, target: string): RpmEntry {
  return rootOwned({ type: 'symlink', path, mode: 0o777, target });
}

/** The units a LevitateOS system starts, as Rocky's 90-default.preset enables its set. */
export const DEFAULT_PRESET = `# Units enabled by default on the LevitateOS fixture system.
enable getty@.service
enable dbus.socket
enable remote-fs.target
`;

const DISABLE_PRESET = `# Everything not enabled by a preset file of lower number is disabled.
disable *
`;

const OS_RELEASE = `NAME="Rocky Linux"
VERSION="${ROCKY_RELEASE} (LevitateOS fixture)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="${ROCKY_RELEASE}"
PLATFORM_ID="platform:el${MAJOR}"
PRETTY_NAME="Rocky Linux ${ROCKY_RELEASE} (LevitateOS fixture)"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:rocky:rocky:${MAJOR}::baseos"
HOME_URL="https://levitateos.org/"
`;

/** `rocky-release`: the release files and the systemd preset policy. */
export function rockyReleasePackage(): RpmPackageSpec {
  const entries: RpmEntry[] = [
    file('/etc/rocky-release', `Rocky Linux release ${ROCKY_RELEASE} (LevitateOS fixture)\n`),
    file('/etc/rocky-release-upstream', `Derived from Red Hat Enterprise Linux ${ROCKY_RELEASE}\n`),
    link('/etc/redhat-release', 'rocky-release'),
    link('/etc/system-release', 'rocky-release'),
    file('/etc/system-release-cpe', `cpe:/o:rocky:rocky:${MAJOR}::baseos\n`),
    file('/usr/lib/os-release', OS_RELEASE, false),
    link('/etc/os-release', '../usr/lib/os-release'),
    file('/etc/issue', '\\S\nKernel \\r on \\m\n\n'),
    rootOwned({ type: 'directory', path: '/usr/lib/systemd/system-preset', mode: 0o755 }),
    file('/usr/lib/systemd/system-preset/90-default.preset', DEFAULT_PRESET, false),
    file('/usr/lib/systemd/system-preset/99-default-disable.preset', DISABLE_PRESET, false),
  ];
  return {
    ...NO_RELATIONS,
    name: 'rocky-release',
    version: ROCKY_RELEASE,
    release: `1.${DIST}`,
    arch: 'noarch',
    summary: 'Rocky Linux release files',
    description: 'Rocky Linux release files (LevitateOS fixture).',
    license: 'BSD-3-Clause',
    url: 'https://rockylinux.org',
    repository: 'BaseOS',
    provides: [
      'system-release',
      `system-release(releasever) = ${MAJOR}`,
      'redhat-release',
      'base-module(platform:el10)',
    ],
    entries,
  };
}
