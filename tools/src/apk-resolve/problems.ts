/**
 * Turning what the solver left unmet into sentences: what was missing, who needed it, and the
 * chain of packages that led there from the request.
 */

import type { Candidate, Provider } from './graph.ts';
import type { ApkSelectionReason, UnmetDependency } from './install-order.ts';
import { describeLink, providerHolds } from './links.ts';
import type { Solver } from './solver.ts';

/** `bar <- foo <- requested`: how the named package came to be wanted. */
export function wantedChain(
  name: string,
  reasons: ReadonlyMap<string, ApkSelectionReason>,
): string {
  const chain = [name];
  const visited = new Set(chain);
  for (let reason = reasons.get(name); reason !== undefined;) {
    if (reason.kind === 'requested') {
      chain.push('requested');
      break;
    }
    if (reason.kind === 'install-if') {
      chain.push(`install_if(${reason.conditions.map((d) => d.name).join(' ')})`);
      break;
    }
    if (visited.has(reason.by)) {
      break;
    }
    visited.add(reason.by);
    chain.push(reason.by);
    reason = reasons.get(reason.by);
  }
  return chain.join(' <- ');
}

function neededBy(from: Candidate | undefined, reasons: ReadonlyMap<string, ApkSelectionReason>) {
  return from === undefined
    ? '(requested)'
    : `needed by ${from.id} (wanted by: ${wantedChain(from.record.name, reasons)})`;
}

function listProviders(name: string, providers: readonly Provider[]): string {
  const ids = providers.map((p) =>
    p.pkg.record.name === name
      ? p.pkg.id
      : `${p.pkg.id} (as ${name}${p.version === undefined ? '' : `=${p.version}`})`,
  );
  return [...new Set(ids)].join(', ');
}

function describeUnmet(unmet: UnmetDependency, reasons: ReadonlyMap<string, ApkSelectionReason>) {
  const { from, link } = unmet;
  const wanted = describeLink(link);
  const who = neededBy(from, reasons);
  const providers = link.node.providers;
  const matching = providers.filter((p) => providerHolds(link, p));
  const chosen = link.node.chosen?.pkg;
  if (chosen !== undefined && link.dep.conflict) {
    const chosenWhy = wantedChain(chosen.record.name, reasons);
    return `conflict: ${wanted} ${who}, but ${chosen.id} is installed (wanted by: ${chosenWhy})`;
  }
  if (providers.length === 0) {
    return `nothing provides ${wanted} ${who}`;
  }
  if (matching.length === 0) {
    return `nothing provides ${wanted} ${who}; there is only ${listProviders(link.node.name, providers)}`;
  }
  if (chosen !== undefined) {
    const chosenWhy = wantedChain(chosen.record.name, reasons);
    return `${wanted} ${who}, but ${chosen.id} was chosen (wanted by: ${chosenWhy})`;
  }
  const selectable = matching.filter((p) => p.pkg.selectable);
  if (selectable.length > 0 && selectable.every((p) => p.version === undefined)) {
    return (
      `${link.dep.name} is a virtual name ${who}; it is provided by ` +
      `${listProviders(link.node.name, selectable)}: ask for one of them explicitly`
    );
  }
  const why = matching.map((p) => `${p.pkg.id}: ${p.pkg.ruledOut ?? 'not chosen'}`);
  return `${wanted} ${who} cannot be installed (${why.join('; ')})`;
}

export function describeProblems(
  solver: Solver,
  unmet: readonly UnmetDependency[],
  reasons: ReadonlyMap<string, ApkSelectionReason>,
): string[] {
  const problems = unmet.map((u) => describeUnmet(u, reasons));
  for (const { node, holder, pkg } of solver.clashes) {
    problems.push(
      holder === undefined
        ? `${pkg.id} provides ${node.name}, which was settled as not installed`
        : `${pkg.id} and ${holder.id} both provide ${node.name}`,
    );
  }
  return [...new Set(problems)];
}
