export { FAMILY_LAYOUTS } from './family-layout.ts';
export type { FamilyLayout } from './family-layout.ts';
export { loadBackend } from './registry.ts';
export { trustedKeysFor } from './trust.ts';
export type { TrustOptions, TrustedKey } from './trust.ts';
export type {
  BackendContext,
  InspectOptions,
  PackageBackend,
  PackageInspection,
  PackageUniverse,
  Resolution,
  ResolvedPackage,
  VerifiedPackage,
} from './types.ts';
