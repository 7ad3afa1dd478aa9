import type { DependencyEdge, DependencyGraph } from '../why/index.ts';
import { formatApkDependency } from './dependency.ts';
import type { Candidate, Link } from './graph.ts';

/**
 * The dependency graph of a chosen set: each `D:` dependency of a chosen package (conflicts
 * left out) to the chosen package that provides the name, and each request to its package.
 * install_if packages are reached by no dependency: they come in through their conditions.
 */
export function apkDependencyGraph(
  requests: readonly Link[],
  chosen: readonly Candidate[],
): DependencyGraph {
  const inSet = new Set(chosen);
  const providerOf = (link: Link) => {
    const pkg = link.node.chosen?.pkg;
    return pkg !== undefined && inSet.has(pkg) ? pkg : undefined;
  };
  const edges: DependencyEdge[] = [];
  for (const pkg of chosen) {
    for (const link of pkg.depends) {
      if (link.dep.conflict) continue;
      const to = providerOf(link);
      if (to !== undefined) {
        edges.push({
          from: pkg.record.name,
          dependency: formatApkDependency(link.dep),
          to: to.record.name,
        });
      }
    }
  }
  const roots = requests.flatMap((link) => {
    const pkg = link.dep.conflict ? undefined : providerOf(link);
    return pkg === undefined
      ? []
      : [{ request: formatApkDependency(link.dep), package: pkg.record.name }];
  });
  return { roots, edges };
}
