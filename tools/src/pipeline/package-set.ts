import type { PackageLock } from '@levitate/distro-spec/lock';
import type { PackageUniverse, Resolution, VerifiedPackage } from '../backend/index.ts';
import {
  assertLockApplies,
  assertLockedFiles,
  lockDifferences,
  readLockFile,
  readLockIfThere,
  resolutionFromLock,
} from '../lock/index.ts';
import type { BuildContext } from './context.ts';

/** How a build uses a lock file (see BuildContext.lock). */
export interface LockUse {
  readonly file: string;
  /** `locked`: build exactly the lock's packages; `compare`: resolve, and say where it differs. */
  readonly mode: 'locked' | 'compare';
}

/** The packages a build installs, and what its lock file said about them. */
export interface PackageSet {
  readonly resolution: Resolution;
  /** The lock the set was taken from (`--locked`). */
  readonly locked?: PackageLock;
  /** For the report: where the set came from, or how it differs from the lock beside it. */
  readonly notes: readonly string[];
}

/**
 * The build's package set: the lock's packages with `--locked` (its inputs must match the
 * variant; nothing is resolved), otherwise the resolver's, compared with the lock beside the
 * variant when there is one, each difference a warning.
 */
export async function choosePackageSet(
  context: BuildContext,
  universe: PackageUniverse,
): Promise<PackageSet> {
  const use = context.lock;
  if (use?.mode === 'locked') {
    const lock = await readLockFile(use.file);
    assertLockApplies(lock, context.spec, use.file);
    return {
      resolution: resolutionFromLock(lock),
      locked: lock,
      notes: [`lock: the ${lock.packages.length} packages of ${use.file}, not resolved again`],
    };
  }
  const resolution = await universe.resolve(context.spec.packages);
  if (use === undefined) return { resolution, notes: [] };
  const { lock, problem } = await readLockIfThere(use.file);
  if (problem !== undefined) {
    context.reporter.warn(`not compared with the lock: ${problem}`);
    return { resolution, notes: [`lock: not compared: ${problem}`] };
  }
  if (lock === undefined) return { resolution, notes: [] };
  const differences = lockDifferences(resolution, lock);
  if (differences.length === 0)
    return { resolution, notes: [`lock: same packages as ${use.file}`] };
  context.reporter.warn(
    `the packages differ from ${use.file} (build with --locked for the locked ones, or run lock again):\n${differences.map((line) => `  ${line}`).join('\n')}`,
  );
  return {
    resolution,
    notes: differences.map((line) => `lock: differs from ${use.file}: ${line}`),
  };
}

/** With `--locked`, refuses a fetched file that is not byte for byte the one the lock pins. */
export function checkLockedFiles(
  context: BuildContext,
  set: PackageSet,
  packages: readonly VerifiedPackage[],
): void {
  if (set.locked !== undefined && context.lock !== undefined) {
    assertLockedFiles(packages, set.locked, context.lock.file);
  }
}
