import type { RpmComparison, RpmDependency, RpmEvr, RpmRepoPackage } from '../rpm-repo/types.ts';
import { rpmvercmp } from './vercmp.ts';

const LESS = 2;
const GREATER = 4;
const EQUAL = 8;

const SENSE: Readonly<Record<RpmComparison, number>> = {
  LT: LESS,
  LE: LESS | EQUAL,
  EQ: EQUAL,
  GE: GREATER | EQUAL,
  GT: GREATER,
};

/** The part of a dependency that restricts versions. */
export type RpmVersionRange = Pick<RpmDependency, 'flags' | 'epoch' | 'version' | 'release'>;

function isVersioned(range: RpmVersionRange): boolean {
  return range.flags !== undefined && range.version !== undefined;
}

function present(text: string | undefined): text is string {
  return text !== undefined && text !== '';
}

function epochValue(text: string | undefined): number {
  return present(text) ? Number.parseInt(text, 10) || 0 : 0;
}

/**
 * Whether two version ranges overlap, with rpm's rules: an unversioned side matches everything;
 * a missing epoch counts as 0; releases are compared only when both sides have one, and when
 * only one side has a release the ranges overlap if the side without it includes equality
 * (`foo = 1.0` matches `foo = 1.0-3`, `foo > 1.0` does not match `foo = 1.0-3`).
 */
export function rangesOverlap(a: RpmVersionRange, b: RpmVersionRange): boolean {
  if (!isVersioned(a) || !isVersioned(b)) return true;
  const fa = SENSE[a.flags as RpmComparison];
  const fb = SENSE[b.flags as RpmComparison];
  let sense = 0;
  if (present(a.epoch) && present(b.epoch)) sense = rpmvercmp(a.epoch, b.epoch);
  else if (epochValue(a.epoch) > 0) sense = 1;
  else if (epochValue(b.epoch) > 0) sense = -1;
  if (sense === 0) {
    sense = rpmvercmp(a.version as string, b.version as string);
    if (sense === 0) {
      if (present(a.release) && present(b.release)) {
        sense = rpmvercmp(a.release, b.release);
      } else if (
        (present(a.release) && (fb & EQUAL) !== 0) ||
        (present(b.release) && (fa & EQUAL) !== 0)
      ) {
        return true;
      }
    }
  }
  if (sense < 0) return (fa & GREATER) !== 0 || (fb & LESS) !== 0;
  if (sense > 0) return (fa & LESS) !== 0 || (fb & GREATER) !== 0;
  return (fa & fb & EQUAL) !== 0 || (fa & fb & LESS) !== 0 || (fa & fb & GREATER) !== 0;
}

/** Whether `provide` (one entry of a package's provides) satisfies `require`. */
export function provideSatisfies(provide: RpmDependency, require: RpmDependency): boolean {
  return provide.name === require.name && rangesOverlap(provide, require);
}

/** The `name = epoch:version-release` range of a package itself. */
export function evrRange(evr: RpmEvr): RpmVersionRange {
  return { flags: 'EQ', epoch: String(evr.epoch), version: evr.version, release: evr.release };
}

/** The provide every package has implicitly: its own name at its own EVR. */
export function selfProvide(pkg: RpmRepoPackage): RpmDependency {
  return { name: pkg.name, ...evrRange(pkg.evr) };
}

/**
 * Whether a package's own name and EVR match a dependency, as obsoletes are matched (against
 * the package, never against what it provides).
 */
export function packageMatches(pkg: RpmRepoPackage, dep: RpmDependency): boolean {
  return pkg.name === dep.name && rangesOverlap(evrRange(pkg.evr), dep);
}

/** `name-[epoch:]version-release.arch`, as dnf and rpm print a package. */
export function formatNevra(pkg: RpmRepoPackage): string {
  const epoch = pkg.evr.epoch !== 0 ? `${pkg.evr.epoch}:` : '';
  return `${pkg.name}-${epoch}${pkg.evr.version}-${pkg.evr.release}.${pkg.arch}`;
}
