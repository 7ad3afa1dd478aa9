export { BACKENDS } from './registry.ts';
export { trustedKeysFor } from './trust.ts';
export type { TrustOptions, TrustedKey } from './trust.ts';
export type {
  BackendContext,
  PackageBackend,
  PackageUniverse,
  Resolution,
  ResolvedPackage,
  VerifiedPackage,
} from './types.ts';
