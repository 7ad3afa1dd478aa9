import type { RpmRepoPackage } from '../rpm-repo/types.ts';
import { involvedRules, problemError } from './explain.ts';
import { FilelistsNeeded, Pool } from './pool.ts';
import type { RpmResolveRepository } from './pool.ts';
import { loadRpmFilelists } from './filelists.ts';
import type { RpmFilelistIndex } from './filelists.ts';
import type { DependencyGraph } from '../why/index.ts';
import { rpmDependencyGraph } from './dependency-edges.ts';
import { installReasons } from './reasons.ts';
import type { RpmInstallReason } from './reasons.ts';
import { requestJobs } from './request.ts';
import { collectInvolved, packageRules, RichCache } from './rule-builder.ts';
import { Unsolvable } from './sat.ts';
import { Solver } from './solver.ts';
import { compareEvr } from './vercmp.ts';

export interface RpmResolveOptions {
  /** The target architecture, e.g. `x86_64`. */
  readonly arch: string;
  /** Install recommended and supplementing packages, as dnf's install_weak_deps=True. Default true. */
  readonly installWeakDeps?: boolean;
  /**
   * Complete file lists for file dependencies primary does not cover: read from the
   * repositories when needed (`true`, the default), never (`false`), or already read.
   */
  readonly filelists?: boolean | RpmFilelistIndex;
}

export interface RpmResolution {
  /** The packages to install, sorted by name (then architecture). */
  readonly packages: readonly RpmRepoPackage[];
  /** Why each package is there, by `name.arch`. */
  readonly reasons: ReadonlyMap<string, RpmInstallReason>;
  /** Group members that no repository has, and similar things that were skipped. */
  readonly warnings: readonly string[];
  /** Which installed package needs which, for `resolve --why`. */
  readonly graph: DependencyGraph;
}

function solveInPool(pool: Pool, requests: readonly string[], installWeak: boolean): RpmResolution {
  const riches = new RichCache();
  const { jobs, warnings } = requestJobs(pool, requests);
  const roots = jobs.flatMap((job) => job.clauses.flat().filter((literal) => literal > 0));
  const involved = collectInvolved(pool, riches, roots);
  const rules = packageRules(pool, riches, involved);
  const solver = new Solver(pool, riches, rules, jobs, installWeak);
  try {
    solver.run();
  } catch (error) {
    if (!(error instanceof Unsolvable)) throw error;
    throw problemError(pool, solver.sat, involvedRules(solver.sat, error.conflict), jobs);
  }
  const entries = solver.installed().map((id) => pool.get(id));
  entries.sort(
    (a, b) =>
      (a.pkg.name < b.pkg.name ? -1 : a.pkg.name > b.pkg.name ? 1 : 0) ||
      (a.pkg.arch < b.pkg.arch ? -1 : a.pkg.arch > b.pkg.arch ? 1 : 0) ||
      compareEvr(a.pkg.evr, b.pkg.evr) ||
      a.id - b.id,
  );
  return {
    packages: entries.map((entry) => entry.pkg),
    reasons: installReasons(pool, solver, jobs, entries),
    warnings,
    graph: rpmDependencyGraph(pool, jobs, entries),
  };
}

/**
 * Resolves requests against repositories the way `dnf install` would on an empty root:
 * the returned packages are what dnf's transaction would install. Throws a
 * {@link RpmResolveError} saying what is missing or conflicting, and who wanted it.
 *
 * Loading stays outside: pass repositories already read (`loadRpmRepository`), and
 * optionally file lists already read ({@link loadRpmFilelists}); otherwise file lists are read
 * here, once, and only if a file dependency needs them. Repository indexes are built on first
 * use and reused while the package lists live.
 *
 * Out of scope: installonly packages (with an empty root there is only ever one version to
 * install, as with dnf) and modularity (module metadata is not read: packages of every stream are candidates).
 */
export async function resolveRpm(
  repos: readonly RpmResolveRepository[],
  request: readonly string[],
  options: RpmResolveOptions,
): Promise<RpmResolution> {
  const filelists = options.filelists ?? true;
  const pool = new Pool(repos, options.arch, filelists !== false);
  if (typeof filelists === 'object') pool.addFilelists(filelists);
  for (;;) {
    try {
      return solveInPool(pool, request, options.installWeakDeps ?? true);
    } catch (error) {
      if (!(error instanceof FilelistsNeeded) || pool.filelistsLoaded) throw error;
      pool.addFilelists(await loadRpmFilelists(repos));
    }
  }
}
