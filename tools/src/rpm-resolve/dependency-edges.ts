import type { DependencyEdge, DependencyGraph } from '../why/index.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import { FilelistsNeeded } from './pool.ts';
import type { Pool, PoolPackage } from './pool.ts';
import { isRich } from './rich.ts';
import type { Job } from './solver.ts';

/**
 * The dependency graph of an installed set: for each package, each of its Requires and
 * Recommends that another installed package provides (a file, a capability or the package's
 * own name), and the request each job answered. Rich dependencies are left out: which side of
 * `(a if b)` applied is the solver's business, not a chain a reader follows.
 */
export function rpmDependencyGraph(
  pool: Pool,
  jobs: readonly Job[],
  installed: readonly PoolPackage[],
): DependencyGraph {
  const ids = new Set(installed.map((entry) => entry.id));
  const edges: DependencyEdge[] = [];
  for (const entry of installed) {
    for (const dep of [...entry.pkg.requires, ...entry.pkg.recommends]) {
      if (isRich(dep.name) || dep.name.startsWith('rpmlib(')) continue;
      const dependency = formatDependency(dep);
      const providers = safeProviders(pool, dep).filter((id) => ids.has(id));
      for (const id of providers) {
        edges.push({ from: entry.pkg.name, dependency, to: pool.get(id).pkg.name });
      }
    }
  }
  const roots = jobs.flatMap((job) => {
    const answered = job.clauses.flat().find((literal) => literal > 0 && ids.has(literal));
    return answered === undefined
      ? []
      : [{ request: job.request, package: pool.get(answered).pkg.name }];
  });
  return { roots, edges };
}

/** Providers, or none when finding them would need file lists the pool has not read. */
function safeProviders(pool: Pool, dep: Parameters<Pool['whatProvides']>[0]): readonly number[] {
  try {
    return pool.whatProvides(dep);
  } catch (error) {
    if (error instanceof FilelistsNeeded) return [];
    throw error;
  }
}
