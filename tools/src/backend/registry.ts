import type { PackageFamily } from '@levitate/distro-spec';
import { apkBackend } from './apk-backend.ts';
import { rpmBackend } from './rpm-backend.ts';
import type { PackageBackend } from './types.ts';

/** Every package format, by the family a variant declares. */
export const BACKENDS: Readonly<Record<PackageFamily, PackageBackend>> = Object.freeze({
  rpm: rpmBackend,
  apk: apkBackend,
});
