import { rootOwned } from '../debian/entries.ts';
import { MERGED_USR_LINKS } from './merged-usr.ts';
import { DIST, NO_RELATIONS } from './package-spec.ts';
import type { RpmEntry, RpmFileFlags, RpmPackageSpec } from './package-spec.ts';
import {
  BASHRC,
  GROUP,
  GSHADOW,
  HOSTS,
  PASSWD,
  PROFILE,
  ROOT_BASHRC,
  ROOT_BASH_PROFILE,
  SHADOW,
  SHELLS,
} from './setup-files.ts';

const encoder = new TextEncoder();
const CONFIG: RpmFileFlags = { config: 'noreplace' };

function dir(path: string, mode = 0o755): RpmEntry {
  return rootOwned({ type: 'directory', path, mode });
}

function file(path: string, text: string, mode = 0o644, flags?: RpmFileFlags): RpmEntry {
  const entry = rootOwned({ type: 'file' as const, path, mode, content: encoder.encode(text) });
  return flags === undefined ? entry : { ...entry, flags };
}

function link(path: string, target: string): RpmEntry {
  return rootOwned({ type: 'symlink', path, mode: 0o777, target });
}

/** A package written here rather than made from Debian's: release 1, noarch unless said. */
function generated(
  fields: Pick<RpmPackageSpec, 'name' | 'version' | 'summary' | 'license' | 'entries'> &
    Partial<RpmPackageSpec>,
): RpmPackageSpec {
  return {
    ...NO_RELATIONS,
    release: `1.${DIST}`,
    arch: 'noarch',
    url: 'https://levitateos.org/',
    repository: 'BaseOS',
    description: `${fields.summary} (LevitateOS fixture).`,
    ...fields,
  };
}

/** Folders every Rocky system has, owned by `filesystem` alone. */
export const FILESYSTEM_DIRS: readonly (readonly [string, number])[] = [
  ['/boot', 0o555],
  ['/dev', 0o755],
  ['/etc', 0o755],
  ['/etc/profile.d', 0o755],
  ['/etc/sysconfig', 0o755],
  ['/home', 0o755],
  ['/media', 0o755],
  ['/mnt', 0o755],
  ['/opt', 0o755],
  ['/proc', 0o555],
  ['/root', 0o550],
  ['/run', 0o755],
  ['/srv', 0o755],
  ['/sys', 0o555],
  ['/tmp', 0o1777],
  ['/usr', 0o755],
  ['/usr/bin', 0o755],
  ['/usr/include', 0o755],
  ['/usr/lib', 0o555],
  ['/usr/lib/modules', 0o755],
  ['/usr/lib/x86_64-linux-gnu', 0o755],
  ['/usr/lib64', 0o555],
  ['/usr/libexec', 0o755],
  ['/usr/local', 0o755],
  ['/usr/local/bin', 0o755],
  ['/usr/local/lib', 0o755],
  ['/usr/local/sbin', 0o755],
  ['/usr/local/share', 0o755],
  ['/usr/sbin', 0o755],
  ['/usr/share', 0o755],
  ['/usr/share/doc', 0o755],
  ['/usr/share/licenses', 0o755],
  ['/usr/src', 0o755],
  ['/var', 0o755],
  ['/var/cache', 0o755],
  ['/var/empty', 0o755],
  ['/var/lib', 0o755],
  ['/var/local', 0o755],
  ['/var/log', 0o755],
  ['/var/opt', 0o755],
  ['/var/spool', 0o755],
  ['/var/spool/mail', 0o775],
  ['/var/tmp', 0o1777],
];

/** `filesystem`: the folder tree, merged /usr links included. */
export function filesystemPackage(): RpmPackageSpec {
  return generated({
    name: 'filesystem',
    version: '3.18',
    arch: 'x86_64',
    summary: 'The basic directory layout for a Linux system',
    license: 'LicenseRef-Fedora-Public-Domain',
    requires: ['setup'],
    entries: [
      ...FILESYSTEM_DIRS.map(([path, mode]) => dir(path, mode)),
      ...MERGED_USR_LINKS.map(([path, target]) => link(path, target)),
      link('/var/run', '../run'),
      link('/var/lock', '../run/lock'),
      link('/var/mail', 'spool/mail'),
      link('/usr/tmp', '../var/tmp'),
    ],
  });
}

/** `setup`: accounts, shells, hosts and the login scripts, each `%config(noreplace)`. */
export function setupPackage(): RpmPackageSpec {
  const secret = (path: string, text: string) => file(path, text, 0o000, CONFIG);
  return generated({
    name: 'setup',
    version: '2.14.5',
    summary: 'A set of system configuration and setup files',
    license: 'LicenseRef-Fedora-Public-Domain',
    entries: [
      file('/etc/passwd', PASSWD, 0o644, CONFIG),
      file('/etc/group', GROUP, 0o644, CONFIG),
      secret('/etc/shadow', SHADOW),
      secret('/etc/gshadow', GSHADOW),
      file('/etc/shells', SHELLS, 0o644, CONFIG),
      file('/etc/hosts', HOSTS, 0o644, CONFIG),
      file('/etc/profile', PROFILE, 0o644, CONFIG),
      file('/etc/bashrc', BASHRC, 0o644, CONFIG),
      file('/etc/environment', '', 0o644, CONFIG),
      file('/etc/motd', '', 0o644, CONFIG),
      {
        ...file('/var/log/lastlog', '', 0o644),
        flags: { ghost: true, verifyNot: ['md5', 'size', 'mtime'] },
      },
    ],
    scripts: [
      {
        phase: 'post',
        body: 'if [ ! -e /var/log/lastlog ]; then\n  touch /var/log/lastlog\n  chmod 0644 /var/log/lastlog\nfi',
      },
    ],
  });
}

/** `basesystem`: no files; pulls `setup` and `filesystem` in first. */
export function basesystemPackage(): RpmPackageSpec {
  return generated({
    name: 'basesystem',
    version: '11',
    summary: 'The skeleton package which defines a simple Rocky Linux system',
    license: 'LicenseRef-Fedora-Public-Domain',
    requires: ['setup', 'filesystem'],
    entries: [],
  });
}

/** `glibc-minimal-langpack`: no files, only the C and C.UTF-8 locales of glibc itself. */
export function glibcMinimalLangpackPackage(glibc: RpmPackageSpec): RpmPackageSpec {
  return generated({
    name: 'glibc-minimal-langpack',
    ...(glibc.epoch === undefined ? {} : { epoch: glibc.epoch }),
    version: glibc.version,
    release: glibc.release,
    arch: 'x86_64',
    summary: 'Minimal language packs for glibc',
    license: glibc.license,
    requires: [
      `glibc = ${glibc.epoch === undefined ? '' : `${glibc.epoch}:`}${glibc.version}-${glibc.release}`,
    ],
    provides: ['glibc-langpack'],
    entries: [],
  });
}

/** `rootfiles`: root's shell start-up files. */
export function rootfilesPackage(): RpmPackageSpec {
  return generated({
    name: 'rootfiles',
    version: '9.0',
    summary: "The basic required files for the root user's directory",
    license: 'LicenseRef-Fedora-Public-Domain',
    entries: [
      file('/root/.bashrc', ROOT_BASHRC, 0o644, CONFIG),
      file('/root/.bash_profile', ROOT_BASH_PROFILE, 0o644, CONFIG),
      file('/root/.bash_logout', '# ~/.bash_logout\n', 0o644, CONFIG),
    ],
  });
}
