import { packageMatches } from './dependency.ts';
import type { Pool, PoolPackage } from './pool.ts';
import { compareEvr } from './vercmp.ts';
import { commonDependencyBadness } from './policy-order.ts';

/**
 * How a list of candidates is narrowed down, after libsolv:
 * - `choose`: pick one package to satisfy a requirement: every pruning step, then reordering;
 * - `choose-quick`: the same pruning without the reordering, to see whether a choice is obvious;
 * - `recommend`: prune to the best repository, architecture and version only;
 * - `supplement`: reorder only.
 */
export type PolicyMode = 'choose' | 'choose-quick' | 'recommend' | 'supplement';

/** What the policy needs to know about the current state of the solver. */
export interface PolicyState {
  readonly pool: Pool;
  /** Recommended by an installed package, or supplementing installed packages. */
  isRecommended(id: number): boolean;
  /** Suggested by an installed package, or enhancing installed packages. */
  isSuggested(id: number): boolean;
}

function pruneToBestPriority(pool: Pool, list: number[]): number[] {
  const best = Math.min(...list.map((id) => pool.get(id).priority));
  return list.filter((id) => pool.get(id).priority === best);
}

/** Keeps the best-scoring architecture, plus noarch. */
function pruneToBestArch(pool: Pool, list: number[]): number[] {
  const scores = list.map((id) => pool.get(id).archScore).filter((score) => score > 1);
  if (scores.length === 0) return list;
  const best = Math.min(...scores);
  const kept = list.filter((id) => {
    const score = pool.get(id).archScore;
    return score === 1 || score === best;
  });
  return kept.length > 0 ? kept : list;
}

function byNameThenPreference(a: PoolPackage, b: PoolPackage): number {
  if (a.pkg.name !== b.pkg.name) return a.pkg.name < b.pkg.name ? -1 : 1;
  if (a.archScore !== b.archScore) {
    // The target's own architectures before noarch, the better one first.
    if (a.archScore === 1 || b.archScore === 1) return a.archScore === 1 ? 1 : -1;
    return a.archScore - b.archScore;
  }
  if (a.cost !== b.cost) return a.cost - b.cost;
  return a.id - b.id;
}

/** One package per name, the highest version; the list comes out sorted by name. */
function pruneToBestVersion(pool: Pool, list: number[]): number[] {
  const sorted = list.map((id) => pool.get(id)).sort(byNameThenPreference);
  const best: PoolPackage[] = [];
  for (const entry of sorted) {
    const last = best[best.length - 1];
    if (last === undefined || last.pkg.name !== entry.pkg.name) best.push(entry);
    else if (compareEvr(entry.pkg.evr, last.pkg.evr) > 0) best[best.length - 1] = entry;
  }
  return pruneObsoleted(best).map((entry) => entry.id);
}

/** Drops packages that another candidate (of another name) obsoletes, unless they obsolete it back. */
function pruneObsoleted(list: PoolPackage[]): PoolPackage[] {
  if (list.length < 2) return list;
  const obsoletes = (from: PoolPackage, to: PoolPackage) =>
    from.pkg.name !== to.pkg.name && from.pkg.obsoletes.some((dep) => packageMatches(to.pkg, dep));
  const edges = list.map((from) => list.filter((to) => obsoletes(from, to)));
  if (edges.every((targets) => targets.length === 0)) return list;
  const reaches = (from: PoolPackage, to: PoolPackage): boolean => {
    const seen = new Set<PoolPackage>([from]);
    const queue = [from];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (next === to) return true;
      for (const target of edges[list.indexOf(next)] ?? []) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    return false;
  };
  return list.filter(
    (candidate) =>
      !list.some((other, index) => edges[index]?.includes(candidate) && !reaches(candidate, other)),
  );
}

function pruneToRecommended(state: PolicyState, list: number[]): number[] {
  const kept = list.filter((id) => state.isRecommended(id));
  return kept.length > 0 ? kept : list;
}

/** Moves the packages for which `good` holds to the front, keeping the order otherwise. */
function stablePartition(list: number[], good: (id: number) => boolean): number[] {
  return [...list.filter(good), ...list.filter((id) => !good(id))];
}

/** Moves to the back candidates that have a newer version (or a better repository) elsewhere. */
function dislikeOldVersions(pool: Pool, list: number[]): number[] {
  const outdated = (id: number) => {
    const entry = pool.get(id);
    return pool.named(entry.pkg.name).some((otherId) => {
      const other = pool.get(otherId);
      if (otherId === id || other.pkg.arch !== entry.pkg.arch) return false;
      if (other.priority !== entry.priority) return other.priority < entry.priority;
      return compareEvr(other.pkg.evr, entry.pkg.evr) > 0;
    });
  };
  return stablePartition(list, (id) => !outdated(id));
}

function sortByCommonDependency(pool: Pool, list: number[]): number[] {
  const badness = commonDependencyBadness(list.map((id) => pool.get(id).pkg));
  if (badness.every((value) => value === 0)) return list;
  return list
    .map((id, index) => ({ id, bad: badness[index] ?? 0, index }))
    .sort((a, b) => a.bad - b.bad || a.index - b.index)
    .map((entry) => entry.id);
}

/**
 * Narrows down (and orders, best first) the candidates for one decision the way libsolv's
 * policy_filter_unwanted does for dnf. Pruning: the best repository priority (lower number);
 * the best architecture for the target (noarch always kept); per name the highest EVR (on equal
 * EVRs the target architecture over noarch, then the cheaper repository, then metadata order),
 * the list then sorted by name; candidates obsoleted by another candidate dropped; then, when
 * some are, only those recommended by installed packages or supplementing them. Reordering
 * (only when choosing): candidates with a newer version elsewhere to the back; the candidate
 * providing the highest version of an `=` capability other candidates also provide to the
 * front; suggested or enhancing candidates to the front. The first one wins.
 *
 * Not implemented (they only matter with installed packages or settings dnf does not use
 * here): installed-package preferences, favour/disfavour lists, urpm language reordering.
 * A candidate is never preferred for having the capability as its name: libsolv does not do
 * that for dependencies (a request, though, matches a package name before provides).
 */
export function filterCandidates(
  state: PolicyState,
  candidates: readonly number[],
  mode: PolicyMode,
): number[] {
  const { pool } = state;
  let list = [...candidates];
  if (mode === 'supplement') return reorder(state, list);
  if (list.length > 1) list = pruneToBestPriority(pool, list);
  if (list.length > 1) list = pruneToBestArch(pool, list);
  if (list.length > 1) list = pruneToBestVersion(pool, list);
  if (mode === 'recommend' || list.length < 2) return list;
  list = pruneToRecommended(state, list);
  if (mode === 'choose-quick' || list.length < 2) return list;
  return reorder(state, list);
}

function reorder(state: PolicyState, input: number[]): number[] {
  const { pool } = state;
  let list = dislikeOldVersions(pool, input);
  list = sortByCommonDependency(pool, list);
  list = stablePartition(list, (id) => state.isSuggested(id));
  return list;
}
