import { requirementsOf } from '@levitate/tools';
import type { HostRequirement } from '@levitate/tools';

/** The host programs the RPM fixture build runs, from the project's one host tool registry. */
export const RPM_FIXTURE_TOOLS: readonly HostRequirement[] = requirementsOf(
  ['rpmbuild', 'rpmsign', 'gpg', 'gpgconf', 'createrepoC', 'zstd', 'xz'],
  'test',
);

/** What the install ISO needs besides. */
export const INSTALL_ISO_TOOLS: readonly HostRequirement[] = requirementsOf(['xorriso'], 'test');
