import { formatDependency } from '../rpm-repo/dependency-text.ts';
import type { PolicyMode } from './policy.ts';
import type { Pool } from './pool.ts';
import type { SatState } from './sat.ts';
import type { WeakState } from './weak-state.ts';

/** Why a package was decided rather than implied. */
export type Decision =
  | { readonly kind: 'rule'; readonly rule: number }
  | { readonly kind: 'recommends'; readonly owner: number; readonly dep: string }
  | { readonly kind: 'supplements'; readonly dep: string };

/** The solver operations weak dependency handling needs. */
export interface WeakHost {
  readonly pool: Pool;
  readonly sat: SatState;
  readonly weak: WeakState;
  filter(candidates: readonly number[], mode: PolicyMode): number[];
  /** Installs a package on a new level; returns the level reached after propagation. */
  install(id: number, reason: Decision): number;
  /** Installs the best of several candidates, remembering the others. */
  choose(candidates: number[], reason: Decision): number;
}

function recommendation(host: WeakHost, id: number): Decision {
  const { pool, sat, weak } = host;
  for (const literal of sat.trail) {
    if (literal < 0) continue;
    for (const dep of pool.get(literal).pkg.recommends) {
      if (weak.pointsAt(dep).includes(id)) {
        return { kind: 'recommends', owner: literal, dep: formatDependency(dep) };
      }
    }
  }
  return { kind: 'supplements', dep: weak.supplements(id) ?? '' };
}

/** Undecided packages an unmet recommendation of an installed package points at. */
function openRecommendations(host: WeakHost, owner: number): { dep: string; ids: number[] }[] {
  const { pool, sat, weak } = host;
  const result: { dep: string; ids: number[] }[] = [];
  for (const dep of pool.get(owner).pkg.recommends) {
    if (weak.holds(dep)) continue;
    const ids = weak.pointsAt(dep).filter((id) => sat.value[id] === 0);
    if (ids.length > 0) result.push({ dep: formatDependency(dep), ids });
  }
  return result;
}

/**
 * One round of weak dependencies, as libsolv does it once all requirements are met: packages
 * supplementing the installed ones are installed, then for each unmet recommendation of an
 * installed package its best provider. Returns whether anything was installed (the solver then
 * goes over the requirements again).
 */
export function installWeakDependencies(host: WeakHost): boolean {
  const { pool, sat, weak } = host;
  const recommended: number[] = [];
  let supplementing: number[] = [];
  for (const entry of pool.all()) {
    const id = entry.id;
    const value = sat.value[id];
    if (value === 1) {
      for (const { ids } of openRecommendations(host, id)) recommended.push(...ids);
    } else if (value === 0 && entry.pkg.supplements.length > 0 && weak.supplements(id)) {
      supplementing.push(id);
    }
  }
  // A supplementing package whose name is already installed for another architecture stays out.
  const otherArchInstalled = (id: number) => {
    const { name, arch } = pool.get(id).pkg;
    return pool
      .named(name)
      .some((other) => sat.installed(other) && pool.get(other).pkg.arch !== arch);
  };
  supplementing = supplementing.filter((id) => !otherArchInstalled(id));
  const all = [...new Set([...recommended, ...supplementing])];
  if (all.length === 0) return false;
  if (all.length === 1) {
    const id = all[0] as number;
    host.install(id, recommendation(host, id));
    return true;
  }
  const best = new Set(host.filter(all, 'recommend'));
  let supplemented = supplementing.filter((id) => best.has(id));
  if (supplemented.length > 1) supplemented = host.filter(supplemented, 'supplement');
  const decided = sat.trail.length;
  for (const id of supplemented) {
    if (sat.value[id] !== 0) continue;
    const before = sat.level;
    const level = host.install(id, { kind: 'supplements', dep: weak.supplements(id) ?? '' });
    if (level <= before || sat.trail.length < decided) return true;
  }
  const owners = sat.trail.slice(0, decided).filter((literal) => literal > 0);
  for (const owner of owners) {
    for (const dep of pool.get(owner).pkg.recommends) {
      if (weak.holds(dep)) continue;
      const ids = weak.pointsAt(dep).filter((id) => sat.value[id] === 0 && best.has(id));
      if (ids.length === 0) continue;
      const before = sat.level;
      const text = formatDependency(dep);
      const reason: Decision = { kind: 'recommends', owner, dep: text };
      const level = host.choose(ids, reason);
      if (level <= before || sat.trail.length < decided) return true;
    }
  }
  return true;
}
