import type { PackageFamily } from '@levitate/distro-spec';
import type { PackageBackend } from './types.ts';

/**
 * The backend of a package family, loaded when a variant of that family first needs it: a
 * command working on an APK variant never loads the RPM code (its XML reader, OpenPGP, the
 * dnf-like solver), nor the other way round.
 */
export async function loadBackend(family: PackageFamily): Promise<PackageBackend> {
  switch (family) {
    case 'rpm':
      return (await import('./rpm-backend.ts')).rpmBackend;
    case 'apk':
      return (await import('./apk-backend.ts')).apkBackend;
  }
}
