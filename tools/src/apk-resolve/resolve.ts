/**
 * Resolving a request (`alpine-base linux-lts`) against APKINDEX records into the packages to
 * install, choosing what Alpine's apk 2.14 would choose.
 */

import { Catalog } from './catalog.ts';
import type { ApkIndexInput, SolverGraph } from './catalog.ts';
import type { Link } from './graph.ts';
import { parseApkDependency } from './dependency.ts';
import type { ApkDependency } from './dependency.ts';
import { ApkResolveError } from './errors.ts';
import { planInstall } from './install-order.ts';
import type { ApkSelectionReason } from './install-order.ts';
import { describeProblems } from './problems.ts';
import type { ApkIndexRecord } from './record.ts';
import { Solver } from './solver.ts';
import { apkDependencyGraph } from './dependency-edges.ts';
import type { DependencyGraph } from '../why/index.ts';
import { caseInsensitiveThenCodeUnit } from '../core/text-order.ts';

export interface ApkResolveOptions {
  /** Records of other architectures are ignored (`noarch` ones are kept). */
  readonly arch: string;
}

export interface ApkResolution {
  /** The packages to install, in the order apk installs them (dependencies first). */
  readonly packages: readonly ApkIndexRecord[];
  /** Why each package is there, by package name. */
  readonly reasons: ReadonlyMap<string, ApkSelectionReason>;
  /** Which chosen package needs which, for `resolve --why`. */
  readonly graph: DependencyGraph;
}

/** apk's display order: case-insensitive, then exact. */
const compareNames = caseInsensitiveThenCodeUnit;

function parseRequest(request: readonly string[]): ApkDependency[] {
  const byName = new Map<string, ApkDependency>();
  for (const text of request) {
    let dep: ApkDependency;
    try {
      dep = parseApkDependency(text);
    } catch (err) {
      throw new ApkResolveError(
        'apk-request-invalid',
        `invalid package request: ${(err as Error).message}`,
        {
          hint: 'write requests as apk does: name, name=1.2-r0, name>=1.2, name~1.2 or !name',
          cause: err,
        },
      );
    }
    if (dep.name.includes('@')) {
      throw new ApkResolveError(
        'apk-request-invalid',
        `repository tags are not supported: ${text}`,
        {
          hint: 'give the repository a higher priority instead of tagging the request',
        },
      );
    }
    byName.set(dep.name, dep);
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}

/** Resolves requests against one set of indexes; the graph is built once and reused. */
export interface ApkResolver {
  resolve(request: readonly string[]): ApkResolution;
}

/**
 * Prepares the indexes for resolving (about as long as one resolution takes), for callers that
 * resolve several requests against the same indexes. The records must not change afterwards.
 */
export function createApkResolver(
  indexes: readonly ApkIndexInput[],
  options: ApkResolveOptions,
): ApkResolver {
  return resolverOn(Catalog.build(indexes, options.arch));
}

/**
 * A resolver on a graph already built: a `PackedCatalogView` of the metadata cache, which
 * makes only the names and packages a request reaches.
 */
export function resolverOn(catalog: SolverGraph): ApkResolver {
  let used = false;
  return {
    resolve(request) {
      if (used) {
        catalog.reset();
      }
      used = true;
      return solveRequest(catalog, request);
    },
  };
}

function solveRequest(catalog: SolverGraph, request: readonly string[]): ApkResolution {
  const links: Link[] = parseRequest(request).map((dep) => catalog.link(dep));
  const solver = new Solver();
  solver.solve(links);
  const plan = planInstall(links);
  const problems = describeProblems(solver, plan.unmet, plan.reasons);
  if (problems.length > 0) {
    throw new ApkResolveError(
      'apk-unresolvable',
      `cannot resolve ${request.join(' ')}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      { hint: 'check the package names and the repositories the variant uses' },
    );
  }
  return {
    packages: plan.order.map((pkg) => pkg.record),
    reasons: plan.reasons,
    graph: apkDependencyGraph(links, plan.order),
  };
}

/**
 * Resolves `request` against the indexes the way apk-tools 2.14 does on an empty root
 * (`apk add --initdb`), and returns the packages in apk's install order.
 *
 * For each name the provider with the highest version wins; a higher index `priority` wins
 * before that, and the earlier index breaks ties. A package providing a name with a higher
 * version beats the package of that name (apk compares versions first). `k:`
 * provider_priority chooses among providers of a virtual name; a name only provided virtually
 * (`p:name` without a version) and without `k:` is never chosen on its own, only through a
 * provider that is itself wanted. install_if packages are added once all their conditions are
 * installed. Conflicts (`!name`) rule packages out. Replaces (`r:`) only decide who owns a file
 * at install time and play no part here. Like apk, nothing is undone once chosen: a choice that
 * a later constraint contradicts is an error, not a retry.
 *
 * Throws a `ApkResolveError` listing what is missing or conflicting and who wanted it.
 */
export function resolveApk(
  indexes: readonly ApkIndexInput[],
  request: readonly string[],
  options: ApkResolveOptions,
): ApkResolution {
  return createApkResolver(indexes, options).resolve(request);
}
