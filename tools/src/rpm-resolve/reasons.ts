import type { Pool, PoolPackage } from './pool.ts';
import type { Job, Solver } from './solver.ts';
import { defined } from '../core/errors.ts';

/** Why a package is part of a resolution. `by` is the `name.arch` of another package. */
export type RpmInstallReason =
  | { readonly kind: 'requested'; readonly request: string }
  | { readonly kind: 'requires'; readonly by: string; readonly capability: string }
  | { readonly kind: 'recommends'; readonly by: string; readonly capability: string }
  | { readonly kind: 'supplements'; readonly capability: string };

/** One line for a reason: `required by bash.x86_64 for libtinfo.so.6()(64bit)`. */
export function describeReason(reason: RpmInstallReason): string {
  switch (reason.kind) {
    case 'requested':
      return `requested as ${reason.request}`;
    case 'requires':
      return `required by ${reason.by} for ${reason.capability}`;
    case 'recommends':
      return `recommended by ${reason.by} (${reason.capability})`;
    case 'supplements':
      return `supplements ${reason.capability}`;
  }
}

/** The packages that led to `key`, back to the request: `['libtinfo', 'bash', 'requested']`. */
export function reasonChain(reasons: ReadonlyMap<string, RpmInstallReason>, key: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let current: string | undefined = key; current !== undefined && !seen.has(current);) {
    seen.add(current);
    chain.push(current.slice(0, current.lastIndexOf('.')) || current);
    const reason = reasons.get(current);
    if (reason === undefined) break;
    if (reason.kind === 'requested') chain.push('requested');
    if (reason.kind === 'supplements') chain.push(`supplements ${reason.capability}`);
    current = reason.kind === 'requires' || reason.kind === 'recommends' ? reason.by : undefined;
  }
  return chain;
}

function fromRules(
  pool: Pool,
  solver: Solver,
  jobs: readonly Job[],
  id: number,
): RpmInstallReason | undefined {
  const decision = solver.reasonFor(id);
  if (decision === undefined) return undefined;
  if (decision.kind === 'recommends') {
    return { kind: 'recommends', by: pool.get(decision.owner).key, capability: decision.dep };
  }
  if (decision.kind === 'supplements') return { kind: 'supplements', capability: decision.dep };
  const rule = solver.sat.rule(decision.rule);
  if (rule.kind === 'job' && rule.job !== undefined) {
    return { kind: 'requested', request: defined(jobs[rule.job], `job ${rule.job}`).request };
  }
  if (rule.kind === 'requires' && rule.owner !== undefined && rule.literals.includes(id)) {
    return {
      kind: 'requires',
      by: pool.get(rule.owner).key,
      capability: defined(rule.dep, 'the capability of a requires rule'),
    };
  }
  return undefined;
}

/** A requirement of an installed package (decided before this one) that this one meets. */
function fromInstalled(
  pool: Pool,
  solver: Solver,
  jobs: readonly Job[],
  id: number,
): RpmInstallReason {
  const job = jobs.find((entry) => entry.clauses.some((clause) => clause.includes(id)));
  if (job !== undefined) return { kind: 'requested', request: job.request };
  const order = new Map(solver.sat.trail.map((literal, index) => [literal, index]));
  const position = order.get(id) ?? Infinity;
  let best: { at: number; reason: RpmInstallReason } | undefined;
  for (const rule of solver.sat.rules) {
    if (rule.kind !== 'requires' || rule.owner === undefined || !rule.literals.includes(id))
      continue;
    const at = order.get(rule.owner);
    if (at === undefined || (best !== undefined && at >= best.at)) continue;
    const reason = {
      kind: 'requires',
      by: pool.get(rule.owner).key,
      capability: defined(rule.dep, 'the capability of a requires rule'),
    } as const;
    if (at < position || best === undefined) best = { at, reason };
  }
  if (best !== undefined) return best.reason;
  const supplements = solver.weak.supplements(id);
  return { kind: 'supplements', capability: supplements ?? '' };
}

/** Why each installed package is there, keyed by `name.arch`, in the order of `entries`. */
export function installReasons(
  pool: Pool,
  solver: Solver,
  jobs: readonly Job[],
  entries: readonly PoolPackage[],
): Map<string, RpmInstallReason> {
  const reasons = new Map<string, RpmInstallReason>();
  for (const entry of entries) {
    const reason =
      fromRules(pool, solver, jobs, entry.id) ?? fromInstalled(pool, solver, jobs, entry.id);
    reasons.set(entry.key, reason);
  }
  return reasons;
}
