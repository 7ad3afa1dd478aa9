import { LOCK_VERSION, lockInputs } from '@levitate/distro-spec/lock';
import type { LockedPackage, PackageLock } from '@levitate/distro-spec/lock';
import type { VariantSpec } from '@levitate/distro-spec';
import type { Resolution, ResolvedPackage, VerifiedPackage } from '../backend/index.ts';
import { InternalError, UserError } from '../core/errors.ts';
import type { RepositorySources } from '../pipeline/repository-sources.ts';
import { byCodeUnit } from '../core/text-order.ts';

/** What a lock is made of: a resolution, its verified files, and where its indexes came from. */
export interface LockSubject {
  readonly spec: VariantSpec;
  readonly resolution: Resolution;
  readonly packages: readonly VerifiedPackage[];
  readonly sources: readonly RepositorySources[];
  readonly epoch: number;
}

/** The lock of a resolution, packages in its order and everything else sorted. */
export function lockOf(subject: LockSubject): PackageLock {
  const { spec, resolution } = subject;
  const files = new Map(subject.packages.map((verified) => [verified.package.name, verified]));
  const graph = resolution.graph ?? { roots: [], edges: [] };
  return {
    lockVersion: LOCK_VERSION,
    variant: spec.variant,
    family: resolution.family,
    arch: spec.arch,
    inputs: lockInputs(spec),
    epoch: subject.epoch,
    requests: [...graph.roots]
      .map(({ request, package: pkg }) => ({ request, package: pkg }))
      .sort((a, b) => byCodeUnit(a.request, b.request) || byCodeUnit(a.package, b.package)),
    repositories: subject.sources.map((source) => ({
      name: source.name,
      url: source.url,
      ...(source.index === undefined ? {} : { index: source.index.sha256 }),
    })),
    packages: resolution.packages.map((pkg): LockedPackage => {
      const verified = files.get(pkg.name);
      if (verified === undefined || verified.digest.algorithm !== 'sha256') {
        throw new InternalError(`${pkg.name} was resolved but not fetched with a SHA-256`);
      }
      const needs = graph.edges
        .filter((edge) => edge.from === pkg.name)
        .map(({ dependency, to }) => ({ dependency, package: to }))
        .sort((a, b) => byCodeUnit(a.package, b.package) || byCodeUnit(a.dependency, b.dependency));
      return {
        name: pkg.name,
        version: pkg.version,
        arch: pkg.arch,
        repository: pkg.repository,
        location: pkg.location,
        ...(pkg.locationBase === undefined ? {} : { locationBase: pkg.locationBase }),
        size: pkg.size,
        sha256: verified.digest.hex,
        checksum: { type: pkg.checksum.type, value: pkg.checksum.value },
        ...(pkg.buildTime === undefined ? {} : { buildTime: pkg.buildTime }),
        ...(pkg.license === undefined ? {} : { license: pkg.license }),
        reason: pkg.reason,
        needs,
      };
    }),
  };
}

/** The resolution a lock holds, as the resolver would have given it; nothing is resolved. */
export function resolutionFromLock(lock: PackageLock): Resolution {
  return {
    family: lock.family,
    packages: lock.packages.map(
      ({ sha256: _sha256, needs: _needs, ...pkg }): ResolvedPackage => pkg,
    ),
    warnings: [],
    graph: {
      roots: lock.requests,
      edges: lock.packages.flatMap((pkg) =>
        pkg.needs.map(({ dependency, package: to }) => ({ from: pkg.name, dependency, to })),
      ),
    },
  };
}

/** Refuses a lock written for other inputs than the variant's as it is now. */
export function assertLockApplies(lock: PackageLock, spec: VariantSpec, file: string): void {
  if (lock.inputs === lockInputs(spec)) return;
  throw new UserError(
    'lock-stale',
    `${file} was written for other inputs than variant ${spec.variant} has now (its packages, repositories, architecture or weak-dependency setting changed since)`,
    { hint: 'run the lock command again, then build with --locked' },
  );
}

/** Refuses a fetched file whose SHA-256 is not the one the lock pins, naming the package. */
export function assertLockedFiles(
  packages: readonly VerifiedPackage[],
  lock: PackageLock,
  file: string,
): void {
  const pinned = new Map(lock.packages.map((pkg) => [pkg.name, pkg.sha256]));
  for (const { package: pkg, digest } of packages) {
    const sha256 = pinned.get(pkg.name);
    if (digest.algorithm === 'sha256' && digest.hex === sha256) continue;
    throw new UserError(
      'locked-package-changed',
      `${pkg.name}-${pkg.version} (${pkg.location}) has SHA-256 ${digest.hex}, but ${file} pins ${sha256 ?? 'nothing for it'}`,
      {
        hint: 'the repository now serves other bytes under that name; if you trust them, run the lock command again',
      },
    );
  }
}

/** Where a resolution differs from a lock, one line per package: what `--locked` would change. */
export function lockDifferences(resolution: Resolution, lock: PackageLock): string[] {
  const locked = new Map(lock.packages.map((pkg) => [pkg.name, pkg]));
  const resolved = new Map(resolution.packages.map((pkg) => [pkg.name, pkg]));
  const lines: string[] = [];
  for (const name of [...new Set([...locked.keys(), ...resolved.keys()])].sort(byCodeUnit)) {
    const before = locked.get(name);
    const now = resolved.get(name);
    if (before === undefined && now !== undefined) lines.push(`${name}: ${now.version} added`);
    else if (now === undefined && before !== undefined)
      lines.push(`${name}: ${before.version} removed`);
    else if (before !== undefined && now !== undefined) {
      if (before.version !== now.version) {
        lines.push(`${name}: ${before.version} → ${now.version}`);
      } else if (before.checksum.value !== now.checksum.value) {
        lines.push(`${name}: ${now.version} rebuilt (another checksum in the index)`);
      }
    }
  }
  return lines;
}
