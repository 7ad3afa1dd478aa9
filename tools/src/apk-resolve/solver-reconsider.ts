/**
 * Re-evaluating one name after something it depends on changed: rule out providers whose
 * dependencies can no longer be met, decide install_if triggers whose conditions are all
 * settled, and push down what every remaining provider has in common. When only one provider
 * is left, its dependencies become constraints right away; when several are left, the names
 * they all depend on become required (without a version), and names they all provide can no
 * longer come from packages that do not provide this name.
 */

import type { Candidate, Link, NameNode } from './graph.ts';
import type { Solver } from './solver.ts';
import { describeLink, providerHolds } from './links.ts';

type MergeCounter = 'mergedDepends' | 'mergedProvides';

/** Counts `node` as shared by option number `option` if every earlier option had it too. */
function mergeStep(node: NameNode, counter: MergeCounter, option: number): boolean {
  if (node[counter] !== option) {
    return false;
  }
  node[counter] = option + 1;
  return true;
}

/** Whether all `options` had `node`; resets the count for the next round. */
function completeMerge(node: NameNode, counter: MergeCounter, options: number): boolean {
  const shared = node[counter] === options;
  node[counter] = 0;
  return shared;
}

function evaluateInstallIf(pkg: Candidate): void {
  pkg.installIfTriggered = true;
  pkg.installIfFailed = false;
  for (const link of pkg.installIf) {
    if (!link.node.locked) {
      pkg.installIfTriggered = false;
      return;
    }
    if (!providerHolds(link, link.node.chosen)) {
      pkg.installIfTriggered = false;
      pkg.installIfFailed = true;
      return;
    }
  }
}

function excludeNonProviders(
  solver: Solver,
  node: NameNode,
  mustProvide: NameNode,
  skipVirtuals: boolean,
): void {
  if (node === mustProvide) {
    return;
  }
  for (const provider of node.providers) {
    const pkg = provider.pkg;
    if (pkg.node === mustProvide || !pkg.selectable) {
      continue;
    }
    if (skipVirtuals && provider.version === undefined) {
      continue;
    }
    const exempt = pkg.provides.some(
      (link: Link) => link.node === mustProvide || (skipVirtuals && link.dep.version === undefined),
    );
    if (!exempt) {
      solver.ruleOut(pkg, `${node.name} must come from a provider of ${mustProvide.name}`);
    }
  }
}

function pushDownCommon(solver: Solver, node: NameNode, first: Candidate, options: number): void {
  for (const provider of node.providers) {
    provider.pkg.dependenciesUsed = provider.pkg.dependenciesMerged;
  }
  for (const link of first.depends) {
    if (!completeMerge(link.node, 'mergedDepends', options)) {
      continue;
    }
    if (options === 1) {
      solver.applyConstraint(first, link);
    } else if (link.node.requirers === 0) {
      solver.requireCommon(link.node);
    }
  }
  if (completeMerge(first.node, 'mergedProvides', options)) {
    excludeNonProviders(solver, first.node, node, first.node.hasVirtualProvides);
  }
  for (const link of first.provides) {
    if (completeMerge(link.node, 'mergedProvides', options)) {
      excludeNonProviders(solver, link.node, node, link.node.hasVirtualProvides);
    }
  }
  first.node.hasVirtualProvides = false;
  for (const link of first.provides) {
    link.node.hasVirtualProvides = false;
  }
}

export function reconsiderName(solver: Solver, node: NameNode): void {
  const recheckDeps = node.recheckDeps;
  const recheckInstallIf = node.recheckInstallIf;
  node.recheckDeps = false;
  node.recheckInstallIf = false;

  let first: Candidate | undefined;
  let options = 0;
  let hasInstallIf = false;
  let noInstallIf = true;
  for (const provider of node.providers) {
    const pkg = provider.pkg;
    pkg.dependenciesMerged = false;
    if (recheckDeps && pkg.selectable) {
      const broken = pkg.depends.find((link) => !solver.satisfiable(link));
      if (broken !== undefined) {
        solver.ruleOut(pkg, `nothing can satisfy its dependency ${describeLink(broken)}`);
      }
    }
    if (!pkg.selectable) {
      continue;
    }
    if (recheckInstallIf && !pkg.installIfTriggered && !pkg.installIfFailed) {
      evaluateInstallIf(pkg);
    }
    hasInstallIf ||= pkg.installIfTriggered;
    noInstallIf &&= pkg.installIfFailed;
    if (node.requirers === 0) {
      continue;
    }
    pkg.dependenciesMerged = true;
    first ??= pkg;
    for (const link of pkg.depends) {
      if (!link.dep.conflict) {
        mergeStep(link.node, 'mergedDepends', options);
      }
    }
    if (mergeStep(pkg.node, 'mergedProvides', options)) {
      pkg.node.hasVirtualProvides ||= provider.version === undefined;
    }
    for (const link of pkg.provides) {
      if (mergeStep(link.node, 'mergedProvides', options)) {
        link.node.hasVirtualProvides ||= link.dep.version === undefined;
      }
    }
    options++;
  }
  node.hasOptions = options > 1;
  node.hasInstallIf = hasInstallIf;
  node.noInstallIf = noInstallIf;
  solver.queueUnresolved(node);

  if (first !== undefined) {
    pushDownCommon(solver, node, first, options);
  }
  node.reverseDepsDone = node.dependents.every((other) => !other.seen || other.locked);
}
