import type { RpmDependency, RpmRepoPackage } from '../rpm-repo/types.ts';
import { packedProvidesOf } from '../rpm-repo/packed-packages.ts';
import type { PackedProvide } from '../rpm-repo/packed-packages.ts';
import { selfProvide } from './dependency.ts';

/** A dependency entry of the package at `index` in the repository's package list. */
export interface IndexedDependency {
  readonly index: number;
  readonly dep: RpmDependency;
}

/** Lookups over one repository's packages, by position in its package list. */
export interface RepoIndex {
  /** Provides by capability name, each package's own `name = evr` included. */
  readonly provides: { get(name: string): readonly IndexedDependency[] | undefined };
  /** Paths in primary's file lists. */
  readonly files: ReadonlyMap<string, readonly number[]>;
  readonly names: ReadonlyMap<string, readonly number[]>;
  /** Obsoletes entries by the name they obsolete. */
  readonly obsoletes: ReadonlyMap<string, readonly IndexedDependency[]>;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * Provides found through the hash table of a packed package list, in the order the full index
 * would list them; each name's entries are made on its first lookup.
 */
function lazyProvides(
  packages: readonly RpmRepoPackage[],
  lookup: (name: string) => readonly PackedProvide[] | undefined,
): RepoIndex['provides'] {
  const made = new Map<string, readonly IndexedDependency[] | undefined>();
  return {
    get(name) {
      if (made.has(name)) return made.get(name);
      const entries = lookup(name)?.map(({ position, dep }): IndexedDependency => ({
        index: position,
        dep: dep ?? selfProvide(packages[position] as RpmRepoPackage),
      }));
      made.set(name, entries);
      return entries;
    },
  };
}

const cache = new WeakMap<readonly RpmRepoPackage[], RepoIndex>();

/**
 * The index of a package list, built on first use and kept as long as the list is, so that
 * resolving again against the same repositories does not index them again.
 */
export function indexPackages(packages: readonly RpmRepoPackage[]): RepoIndex {
  const cached = cache.get(packages);
  if (cached !== undefined) return cached;
  const packed = packedProvidesOf(packages);
  const provides =
    packed === undefined ? new Map<string, IndexedDependency[]>() : lazyProvides(packages, packed);
  const files = new Map<string, number[]>();
  const names = new Map<string, number[]>();
  const obsoletes = new Map<string, IndexedDependency[]>();
  packages.forEach((pkg, index) => {
    push(names, pkg.name, index);
    if (provides instanceof Map) {
      push(provides, pkg.name, { index, dep: selfProvide(pkg) });
      for (const dep of pkg.provides) push(provides, dep.name, { index, dep });
    }
    for (const file of pkg.files) push(files, file, index);
    for (const dep of pkg.obsoletes) push(obsoletes, dep.name, { index, dep });
  });
  const index: RepoIndex = { provides, files, names, obsoletes };
  cache.set(packages, index);
  return index;
}
