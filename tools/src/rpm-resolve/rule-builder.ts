import type { RpmDependency } from '../rpm-repo/types.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import type { Pool } from './pool.ts';
import { isRich, parseRich, RichDependencyError } from './rich.ts';
import type { RichDependency } from './rich.ts';
import { richClauses, termProviders } from './rich-logic.ts';
import type { RichAtoms } from './rich-logic.ts';
import type { Rule } from './rules.ts';

/** Capabilities rpm itself provides; repositories never do. */
export function isSystemCapability(name: string): boolean {
  return name.startsWith('rpmlib(');
}

/** Parses rich dependencies once each; `undefined` for ones rpm would reject. */
export class RichCache {
  private readonly parsed = new Map<string, RichDependency | undefined>();

  get(name: string): RichDependency | undefined {
    if (this.parsed.has(name)) return this.parsed.get(name);
    let rich: RichDependency | undefined;
    try {
      rich = parseRich(name);
    } catch (error) {
      if (!(error instanceof RichDependencyError)) throw error;
    }
    this.parsed.set(name, rich);
    return rich;
  }
}

/** Every package a term of the dependency could be satisfied by. */
export function dependencyProviders(
  pool: Pool,
  riches: RichCache,
  dep: RpmDependency,
): readonly number[] {
  if (!isRich(dep.name)) return isSystemCapability(dep.name) ? [] : pool.whatProvides(dep);
  const rich = riches.get(dep.name);
  if (rich === undefined) return [];
  return allTermProviders(rich, { providers: (inner) => pool.whatProvides(inner) });
}

function allTermProviders(rich: RichDependency, atoms: RichAtoms): number[] {
  const direct = termProviders(rich, atoms);
  if (direct !== undefined) return [...direct];
  const parts =
    rich.op === 'if' || rich.op === 'unless'
      ? [rich.then, rich.condition, ...(rich.otherwise ? [rich.otherwise] : [])]
      : rich.op === 'and' || rich.op === 'or'
        ? rich.operands
        : [];
  return parts.flatMap((part) => allTermProviders(part, atoms));
}

/**
 * The packages that can take part in the solution: the candidates of the requests and,
 * repeatedly, whatever could satisfy a requirement, recommendation or suggestion of those, and
 * whatever could supplement or enhance them.
 */
export function collectInvolved(
  pool: Pool,
  riches: RichCache,
  roots: Iterable<number>,
): Set<number> {
  const involved = new Set<number>();
  const queue = [...roots];
  const visit = () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      if (involved.has(id)) continue;
      involved.add(id);
      const { pkg } = pool.get(id);
      for (const dep of [...pkg.requires, ...pkg.recommends, ...pkg.suggests]) {
        for (const provider of dependencyProviders(pool, riches, dep)) {
          if (!involved.has(provider)) queue.push(provider);
        }
      }
    }
  };
  visit();
  for (let added = true; added;) {
    added = false;
    for (const entry of pool.all()) {
      if (involved.has(entry.id)) continue;
      const weak = [...entry.pkg.supplements, ...entry.pkg.enhances];
      const possible = weak.some((dep) =>
        dependencyProviders(pool, riches, dep).some((provider) => involved.has(provider)),
      );
      if (possible) {
        queue.push(entry.id);
        visit();
        added = true;
      }
    }
  }
  return involved;
}

function sameNameAllowed(a: string, b: string): boolean {
  return a !== b && a !== 'noarch' && b !== 'noarch';
}

/** The package rules (requires, conflicts, obsoletes, one version per name) of the involved packages. */
export function packageRules(pool: Pool, riches: RichCache, involved: ReadonlySet<number>): Rule[] {
  const rules: Rule[] = [];
  const pairs = new Set<string>();
  const pair = (kind: Rule['kind'], owner: number, other: number, dep?: string) => {
    const key = owner < other ? `${owner},${other}` : `${other},${owner}`;
    if (pairs.has(key)) return;
    pairs.add(key);
    rules.push({ kind, literals: [-owner, -other], owner, other, ...(dep ? { dep } : {}) });
  };
  const atoms: RichAtoms = { providers: (dep) => pool.whatProvides(dep) };
  const ordered = [...involved].sort((a, b) => a - b);
  for (const id of ordered) {
    const { pkg } = pool.get(id);
    const seen = new Set<string>();
    for (const dep of pkg.requires) {
      if (isSystemCapability(dep.name)) continue;
      const text = formatDependency(dep);
      if (seen.has(text)) continue;
      seen.add(text);
      const clauses = requirementClauses(pool, riches, atoms, dep);
      for (const clause of clauses) {
        if (clause.includes(id)) continue;
        if (clause.length === 0) {
          rules.push({ kind: 'nothing-provides', literals: [-id], owner: id, dep: text });
        } else {
          const literals = [...new Set([-id, ...clause])];
          rules.push({ kind: 'requires', literals, owner: id, dep: text });
        }
      }
    }
    for (const dep of pkg.conflicts) {
      const text = formatDependency(dep);
      if (isRich(dep.name)) {
        const rich = riches.get(dep.name);
        if (rich === undefined) continue;
        for (const clause of richClauses(rich, atoms, true)) {
          if (clause.includes(-id)) continue;
          rules.push({ kind: 'conflicts', literals: [-id, ...clause], owner: id, dep: text });
        }
        continue;
      }
      for (const other of pool.whatProvides(dep)) {
        if (other !== id && involved.has(other)) pair('conflicts', id, other, text);
      }
    }
    for (const dep of pkg.obsoletes) {
      for (const other of pool.whatObsoletes(dep)) {
        if (other !== id && involved.has(other))
          pair('obsoletes', id, other, formatDependency(dep));
      }
    }
    for (const other of pool.named(pkg.name)) {
      if (other === id || !involved.has(other)) continue;
      if (sameNameAllowed(pkg.arch, pool.get(other).pkg.arch)) continue;
      pair('same-name', id, other);
    }
  }
  return rules;
}

function requirementClauses(
  pool: Pool,
  riches: RichCache,
  atoms: RichAtoms,
  dep: RpmDependency,
): (readonly number[])[] {
  if (!isRich(dep.name)) return [pool.whatProvides(dep)];
  const rich = riches.get(dep.name);
  if (rich === undefined) return [[]];
  try {
    return richClauses(rich, atoms);
  } catch (error) {
    if (error instanceof RangeError) return [[]];
    throw error;
  }
}
