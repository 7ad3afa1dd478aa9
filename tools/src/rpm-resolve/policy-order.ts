import type { RpmDependency, RpmRepoPackage } from '../rpm-repo/types.ts';
import { rpmvercmp } from './vercmp.ts';

interface VersionedProvide {
  readonly candidate: number;
  readonly name: string;
  readonly dep: RpmDependency;
  /** A `<` provide: sorts after an `=` or `<=` provide of the same version. */
  readonly below: boolean;
}

/** `epoch:version-release` as libsolv spells it (no epoch when it is 0). */
function evrText(dep: RpmDependency): string {
  const epoch =
    dep.epoch !== undefined && dep.epoch !== '' && dep.epoch !== '0' ? `${dep.epoch}:` : '';
  const release = dep.release !== undefined && dep.release !== '' ? `-${dep.release}` : '';
  return `${epoch}${dep.version ?? ''}${release}`;
}

/** Versions that are hashes (`= 3f2a9c`) say nothing about which provider is newer. */
function looksLikeHash(text: string): boolean {
  return text.length >= 4 && /^[0-9a-f]+$/.test(text);
}

/** Compares epoch and version, and the release only when both have one. */
function compareProvided(a: RpmDependency, b: RpmDependency): number {
  const epoch = Number.parseInt(a.epoch ?? '0', 10) - Number.parseInt(b.epoch ?? '0', 10);
  if (epoch !== 0 && !Number.isNaN(epoch)) return Math.sign(epoch);
  const version = rpmvercmp(a.version ?? '', b.version ?? '');
  if (version !== 0 || !a.release || !b.release) return version;
  return rpmvercmp(a.release, b.release);
}

/**
 * For each candidate, how often another candidate provides a higher version of a capability it
 * provides with `=` (or `<=`, `<`). Preferring low badness picks, among packages that all
 * provide `python3 = x`, the one with the highest x.
 */
export function commonDependencyBadness(candidates: readonly RpmRepoPackage[]): number[] {
  const entries: VersionedProvide[] = [];
  candidates.forEach((pkg, candidate) => {
    for (const dep of pkg.provides) {
      if (dep.version === undefined) continue;
      if (dep.flags !== 'EQ' && dep.flags !== 'LE' && dep.flags !== 'LT') continue;
      if (dep.flags === 'EQ' && looksLikeHash(evrText(dep))) continue;
      entries.push({ candidate, name: dep.name, dep, below: dep.flags === 'LT' });
    }
  });
  const badness = candidates.map(() => 0);
  if (entries.length < 2) return badness;
  // Highest version first within a capability.
  const order = (a: VersionedProvide, b: VersionedProvide): number => {
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    const byVersion = compareProvided(b.dep, a.dep);
    if (byVersion !== 0) return byVersion;
    if (a.below !== b.below) return a.below ? 1 : -1;
    return 0;
  };
  entries.sort(order);
  let bad = 0;
  entries.forEach((entry, index) => {
    const previous = index > 0 ? entries[index - 1] : undefined;
    if (previous === undefined || previous.name !== entry.name) {
      bad = 0;
      return;
    }
    if (previous.candidate !== entry.candidate && order(previous, entry) < 0) bad++;
    badness[entry.candidate] = (badness[entry.candidate] ?? 0) + bad;
  });
  return badness;
}
