import type { UserError } from '../core/errors.ts';
import type { Comps, RpmDependency, RpmRepoPackage } from '../rpm-repo/types.ts';
import { archPolicy } from './arch.ts';
import type { ArchPolicy } from './arch.ts';
import { formatNevra, packageMatches, rangesOverlap } from './dependency.ts';
import type { RpmFilelistIndex } from './filelists.ts';
import { indexPackages } from './repo-index.ts';
import type { IndexedDependency, RepoIndex } from './repo-index.ts';

/** One package's complete file list, as filelists.xml gives it. */
export interface RpmPackageFiles {
  readonly pkgid: string;
  readonly name: string;
  readonly arch: string;
  readonly files: readonly string[];
}

/** A repository as the resolver needs it; what `loadRpmRepository` returns fits. */
export interface RpmResolveRepository {
  readonly name: string;
  /** Lower wins, as in dnf. */
  readonly priority: number;
  /** Among equal versions of a package, the repository with the lower cost wins (dnf: 1000). */
  readonly cost?: number;
  readonly packages: readonly RpmRepoPackage[];
  readonly comps?: Comps;
  /** Why the repository's comps could not be read: a request for a group then fails with it. */
  readonly compsProblem?: UserError;
  /** The complete file lists, read only when a file dependency needs them. */
  filelists?(): AsyncIterable<RpmPackageFiles>;
  /**
   * The packages whose complete file lists hold a path, when the repository can answer that
   * without every list being read into a map (a packed form the metadata cache keeps).
   */
  fileOwners?(): Promise<(path: string) => readonly Omit<RpmPackageFiles, 'files'>[]>;
}

/** A package of the pool, numbered from 1 in repository order, then metadata order. */
export interface PoolPackage {
  readonly id: number;
  readonly pkg: RpmRepoPackage;
  readonly repo: RpmResolveRepository;
  readonly priority: number;
  readonly cost: number;
  /** See {@link ArchPolicy.score}. */
  readonly archScore: number;
  /** `name-[epoch:]version-release.arch`. */
  readonly nevra: string;
  /** `name.arch`, the key of the result's reasons. */
  readonly key: string;
}

/** Raised by provider lookups that need the complete file lists, which are not loaded yet. */
export class FilelistsNeeded extends Error {
  override name = 'FilelistsNeeded';
}

const DEFAULT_COST = 1000;

interface IndexedRepository {
  readonly index: RepoIndex;
  /** Pool id of each package of the repository, 0 for packages of other architectures. */
  readonly ids: Int32Array;
}

/** Every installable package, indexed by what it provides, its files and its name. */
export class Pool {
  readonly arch: ArchPolicy;
  /** Index 0 is unused so that a package's number can be negated. */
  private readonly entries: (PoolPackage | undefined)[] = [undefined];
  private readonly indexed: IndexedRepository[] = [];
  private readonly providerCache = new Map<string, readonly number[]>();
  private fullFiles: ((path: string) => readonly number[]) | undefined;

  constructor(
    readonly repositories: readonly RpmResolveRepository[],
    targetArch: string,
    private readonly useFilelists = true,
  ) {
    this.arch = archPolicy(targetArch);
    for (const repo of repositories) {
      const ids = new Int32Array(repo.packages.length);
      repo.packages.forEach((pkg, position) => {
        const archScore = this.arch.score(pkg.arch);
        if (archScore === 0) return;
        const id = this.entries.length;
        ids[position] = id;
        this.entries.push({
          id,
          pkg,
          repo,
          priority: repo.priority,
          cost: repo.cost ?? DEFAULT_COST,
          archScore,
          nevra: formatNevra(pkg),
          key: `${pkg.name}.${pkg.arch}`,
        });
      });
      this.indexed.push({ index: indexPackages(repo.packages), ids });
    }
  }

  get size(): number {
    return this.entries.length - 1;
  }

  get(id: number): PoolPackage {
    const entry = this.entries[id];
    if (entry === undefined) throw new RangeError(`no package ${id} in the pool`);
    return entry;
  }

  *all(): IterableIterator<PoolPackage> {
    for (let id = 1; id < this.entries.length; id++) yield this.get(id);
  }

  /** Pool ids (ascending) of the entries `pick` finds in each repository's index. */
  private collect<T>(
    pick: (index: RepoIndex) => readonly T[] | undefined,
    position: (entry: T) => number,
    accept: (entry: T, id: number) => boolean,
  ): number[] {
    const found: number[] = [];
    for (const { index, ids } of this.indexed) {
      for (const entry of pick(index) ?? []) {
        const id = ids[position(entry)] ?? 0;
        if (id !== 0 && accept(entry, id) && found[found.length - 1] !== id) found.push(id);
      }
    }
    return found;
  }

  /** Packages of this exact name, ascending. */
  named(name: string): readonly number[] {
    return this.collect(
      (index) => index.names.get(name),
      (position) => position,
      () => true,
    );
  }

  /** Whether the complete file lists have been added. */
  get filelistsLoaded(): boolean {
    return this.fullFiles !== undefined;
  }

  /** Adds the complete file lists; afterwards file dependencies unmet by primary use them. */
  addFilelists(index: RpmFilelistIndex): void {
    const ids = new Map<string, number>();
    for (const entry of this.all()) {
      ids.set(`${entry.repo.name}\0${entry.pkg.checksum.value}`, entry.id);
      ids.set(`${entry.repo.name}\0${entry.pkg.name}\0${entry.pkg.arch}`, entry.id);
    }
    this.fullFiles = (path) => {
      const found: number[] = [];
      for (const owner of index.owners.get(path) ?? []) {
        const id =
          ids.get(`${owner.repository}\0${owner.pkgid}`) ??
          ids.get(`${owner.repository}\0${owner.name}\0${owner.arch}`);
        if (id !== undefined) found.push(id);
      }
      return found;
    };
    this.providerCache.clear();
  }

  /** Whether complete file lists may be read, and some repository has them. */
  get filelistsAvailable(): boolean {
    return this.useFilelists && this.repositories.some((repo) => repo.filelists !== undefined);
  }

  /**
   * Packages providing a simple (not rich) dependency, ascending. A path is also provided by
   * the packages that contain it: primary's files first, the complete file lists when primary
   * has no provider at all.
   */
  whatProvides(dep: RpmDependency): readonly number[] {
    const key = `${dep.name}\0${dep.flags ?? ''}\0${dep.epoch ?? ''}\0${dep.version ?? ''}\0${dep.release ?? ''}`;
    const cached = this.providerCache.get(key);
    if (cached !== undefined) return cached;
    const found = new Set<number>(
      this.collect(
        (index) => index.provides.get(dep.name),
        (entry: IndexedDependency) => entry.index,
        (entry) => rangesOverlap(entry.dep, dep),
      ),
    );
    if (dep.name.startsWith('/')) {
      const inPrimary = this.collect(
        (index) => index.files.get(dep.name),
        (position) => position,
        () => true,
      );
      for (const id of inPrimary) found.add(id);
      if (found.size === 0) {
        if (this.fullFiles !== undefined) {
          for (const id of this.fullFiles(dep.name)) found.add(id);
        } else if (this.filelistsAvailable) {
          throw new FilelistsNeeded(dep.name);
        }
      }
    }
    const result = [...found].sort((a, b) => a - b);
    this.providerCache.set(key, result);
    return result;
  }

  /** Packages with an obsoletes entry matching package `id`, ascending. */
  obsoletersOf(id: number): readonly number[] {
    const { pkg } = this.get(id);
    return this.collect(
      (index) => index.obsoletes.get(pkg.name),
      (entry: IndexedDependency) => entry.index,
      (entry) => packageMatches(pkg, entry.dep),
    );
  }

  /** Packages whose own name and version match an obsoletes entry. */
  whatObsoletes(dep: RpmDependency): readonly number[] {
    return this.named(dep.name).filter((id) => packageMatches(this.get(id).pkg, dep));
  }
}
