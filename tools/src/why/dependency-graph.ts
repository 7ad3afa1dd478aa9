/**
 * Why a package is in a resolved set: the dependency graph between the resolved packages, and
 * the shortest chains from what was asked for to one package. Format-neutral: each backend
 * gives the edges in the words of its format (`libtinfo.so.6()(64bit)`, `so:libc.musl-x86_64.so.1`).
 */

import { defined } from '../core/errors.ts';

/** One package of the set that needs another, and the dependency, as written, it needs it for. */
export interface DependencyEdge {
  readonly from: string;
  readonly dependency: string;
  readonly to: string;
}

/** A request and the package of the set that answers it. */
export interface RequestRoot {
  readonly request: string;
  readonly package: string;
}

export interface DependencyGraph {
  readonly roots: readonly RequestRoot[];
  readonly edges: readonly DependencyEdge[];
}

/** One step of a chain: the package, and the dependency that led to the next one. */
export type WhyChain = readonly { readonly package: string; readonly dependency?: string }[];

export interface WhyAnswer {
  readonly target: string;
  /** Whether the package is in the set at all. */
  readonly inSet: boolean;
  /** The shortest chains, each from a requested package to the target; at most `limit`. */
  readonly chains: readonly WhyChain[];
  /** How many shortest chains there are in all. */
  readonly shortest: number;
}

/** Enumerating chains stops counting here: shortest paths can be very many. */
const COUNT_AT_MOST = 1000;

function compareEdges(a: DependencyEdge, b: DependencyEdge): number {
  return a.from.localeCompare(b.from) || a.dependency.localeCompare(b.dependency);
}

/**
 * The shortest chains from the requested packages to `target`, by breadth-first search over
 * the edges, listed in a stable order (by package names, then dependencies, along the way).
 * A package of the set that no chain reaches was brought in otherwise (RPM Supplements, APK
 * install_if): it is in the set with no chain.
 */
export function whyInSet(
  graph: DependencyGraph,
  target: string,
  packages: readonly string[],
  limit = 5,
): WhyAnswer {
  if (!packages.includes(target)) return { target, inSet: false, chains: [], shortest: 0 };
  // One edge per pair of packages, named after the first of their dependencies.
  const outgoing = new Map<string, DependencyEdge[]>();
  const pairs = new Set<string>();
  for (const edge of [...graph.edges].sort(compareEdges)) {
    const pair = `${edge.from}\0${edge.to}`;
    if (edge.from === edge.to || pairs.has(pair)) continue;
    pairs.add(pair);
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  }
  const distance = new Map<string, number>();
  /** For each package, the edges that reach it at its shortest distance. */
  const parents = new Map<string, DependencyEdge[]>();
  let frontier = [...new Set(graph.roots.map((root) => root.package))].sort();
  for (const name of frontier) distance.set(name, 0);
  for (let depth = 0; frontier.length > 0 && !distance.has(target); depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const edge of outgoing.get(name) ?? []) {
        const known = distance.get(edge.to);
        if (known === undefined) {
          distance.set(edge.to, depth + 1);
          parents.set(edge.to, [edge]);
          next.push(edge.to);
        } else if (known === depth + 1) {
          parents.get(edge.to)?.push(edge);
        }
      }
    }
    frontier = next.sort();
  }
  const chains: WhyChain[] = [];
  let shortest = 0;
  const back = (name: string, tail: WhyChain): void => {
    if (shortest >= COUNT_AT_MOST) return;
    if (distance.get(name) === 0) {
      shortest += 1;
      if (chains.length < limit) chains.push([{ package: name }, ...tail]);
      return;
    }
    for (const edge of parents.get(name) ?? []) {
      back(edge.from, [{ package: name, dependency: edge.dependency }, ...tail]);
    }
  };
  if (distance.has(target)) back(target, []);
  return { target, inSet: true, chains, shortest };
}

/**
 * For each package a chain reaches, the request of its nearest root (ties go to the request
 * that sorts first): what brought it into the set.
 */
export function broughtInBy(graph: DependencyGraph): Map<string, string> {
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.from !== edge.to)
      outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge.to]);
  }
  const by = new Map<string, string>();
  const roots = [...graph.roots].sort((a, b) => a.request.localeCompare(b.request));
  let frontier: string[] = [];
  for (const root of roots) {
    if (by.has(root.package)) continue;
    by.set(root.package, root.request);
    frontier.push(root.package);
  }
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const to of [...(outgoing.get(name) ?? [])].sort()) {
        if (by.has(to)) continue;
        by.set(to, defined(by.get(name), `the request that reached ${name}`));
        next.push(to);
      }
    }
    frontier = next;
  }
  return by;
}

/** `bash → libtinfo.so.6()(64bit) → ncurses-libs`, one line per chain. */
export function describeWhy(answer: WhyAnswer): string[] {
  if (!answer.inSet) return [`${answer.target} is not in the resolved set`];
  if (answer.chains.length === 0) {
    return [
      `${answer.target} is in the set, but no dependency chain from the request leads to it: it came in through a weak rule (RPM Supplements, APK install_if)`,
    ];
  }
  const lines = answer.chains.map((chain) =>
    chain
      .map((step, index) =>
        index === 0 ? step.package : `${step.dependency ?? '?'} → ${step.package}`,
      )
      .join(' → '),
  );
  if (answer.shortest > answer.chains.length) {
    const more = answer.shortest - answer.chains.length;
    lines.push(`… and ${answer.shortest >= 1000 ? 'many' : more} more of the same length`);
  }
  return lines;
}
