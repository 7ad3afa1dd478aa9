import type { HostRequirement } from '@levitate/tools';

function command(name: string, debianPackage: string, reason: string): HostRequirement {
  return { kind: 'command', command: name, debianPackage, reason };
}

/** The host programs the RPM fixture build runs. */
export const RPM_FIXTURE_TOOLS: readonly HostRequirement[] = [
  command('rpmbuild', 'rpm', 'build the fixture packages'),
  command('rpmsign', 'rpm', 'sign the fixture packages'),
  command('createrepo_c', 'createrepo-c', 'write the repository metadata'),
  command('gpg', 'gnupg', 'make the signing key and sign'),
  command('gpgconf', 'gnupg', "stop the signing key's gpg-agent"),
  command('depmod', 'kmod', 'index the kernel modules'),
  command('dpkg-deb', 'dpkg', 'unpack the Debian packages'),
  command('apt-get', 'apt', 'download the Debian packages'),
  command('ldd', 'libc-bin', 'find the libraries of the programs'),
];

/** What the install ISO needs besides. */
export const INSTALL_ISO_TOOLS: readonly HostRequirement[] = [
  command('xorriso', 'xorriso', 'master the install ISO'),
];
