import type { RpmDependency } from '../rpm-repo/types.ts';
import type { RichDependency } from './rich.ts';

/**
 * The meaning rpm (and libsolv) give rich dependencies, over packages identified by number:
 *
 * - `A if B` is `A or not B`; `A if B else C` is `(A or not B) and (C or B)`;
 * - `A unless B` is `A and not B`; `A unless B else C` is `(A and not B) or (C and B)`;
 * - `A with B` is one package satisfying both, `A without B` one satisfying A but not B.
 */
export interface RichAtoms {
  /** Packages providing a simple dependency, ascending. */
  providers(dep: RpmDependency): readonly number[];
}

/** Packages (ascending) that satisfy a `dep`, `with` or `without` term. */
export function termProviders(
  rich: RichDependency,
  atoms: RichAtoms,
): readonly number[] | undefined {
  if (rich.op === 'dep') return atoms.providers(rich.dep);
  if (rich.op !== 'with' && rich.op !== 'without') return undefined;
  const [first, ...rest] = rich.operands.map((operand) => termProviders(operand, atoms) ?? []);
  let result = new Set(first);
  for (const other of rest) {
    const set = new Set(other);
    result = new Set([...result].filter((id) => (rich.op === 'with' ? set.has(id) : !set.has(id))));
  }
  return [...result].sort((a, b) => a - b);
}

/** Whether the rich dependency holds when exactly the packages `installed` accepts are present. */
export function richHolds(
  rich: RichDependency,
  atoms: RichAtoms,
  installed: (id: number) => boolean,
): boolean {
  const holds = (inner: RichDependency): boolean => richHolds(inner, atoms, installed);
  switch (rich.op) {
    case 'and':
      return rich.operands.every(holds);
    case 'or':
      return rich.operands.some(holds);
    case 'if':
      if (rich.otherwise !== undefined) {
        return holds(rich.condition) ? holds(rich.then) : holds(rich.otherwise);
      }
      return holds(rich.then) || !holds(rich.condition);
    case 'unless':
      if (rich.otherwise !== undefined) {
        return holds(rich.condition) ? holds(rich.otherwise) : holds(rich.then);
      }
      return holds(rich.then) && !holds(rich.condition);
    default:
      return (termProviders(rich, atoms) ?? []).some(installed);
  }
}

/**
 * The packages a weak dependency points at in the current state: every provider of its terms,
 * except behind a condition that does not hold (`A if B` points at A only when B is present).
 */
export function richCandidates(
  rich: RichDependency,
  atoms: RichAtoms,
  installed: (id: number) => boolean,
): number[] {
  const candidates = (inner: RichDependency) => richCandidates(inner, atoms, installed);
  switch (rich.op) {
    case 'and':
    case 'or':
      return [...new Set(rich.operands.flatMap(candidates))];
    case 'if':
    case 'unless': {
      const condition = richHolds(rich.condition, atoms, installed);
      const takeThen = rich.op === 'if' ? condition : !condition;
      if (takeThen) return candidates(rich.then);
      return rich.otherwise === undefined ? [] : candidates(rich.otherwise);
    }
    default:
      return [...(termProviders(rich, atoms) ?? [])];
  }
}

/** A clause: one of these literals must hold; `p` is "package p installed", `-p` its absence. */
export type Clause = readonly number[];

/** Conjunctive normal forms larger than this are not built (they never occur in practice). */
const MAX_CLAUSES = 4096;

/** CNF of "true": no clause. CNF of "false": one empty clause. */
const TRUE: Clause[] = [];
const FALSE: Clause[] = [[]];

function orCnf(parts: readonly Clause[][]): Clause[] {
  let result: Clause[] = FALSE;
  for (const part of parts) {
    if (part.length === 0) return TRUE;
    const next: Clause[] = [];
    for (const left of result) {
      for (const right of part) {
        next.push([...left, ...right]);
        if (next.length > MAX_CLAUSES) throw new RangeError('rich dependency too complex');
      }
    }
    result = next;
  }
  return result;
}

function andCnf(parts: readonly Clause[][]): Clause[] {
  return parts.flat();
}

/** CNF of the rich dependency (or of its negation), literals still unsimplified. */
function toCnf(rich: RichDependency, atoms: RichAtoms, negated: boolean): Clause[] {
  const cnf = (inner: RichDependency, neg: boolean) => toCnf(inner, atoms, neg);
  const both = (parts: Clause[][], conjunction: boolean) =>
    conjunction !== negated ? andCnf(parts) : orCnf(parts);
  switch (rich.op) {
    case 'and':
    case 'or':
      return both(
        rich.operands.map((operand) => cnf(operand, negated)),
        rich.op === 'and',
      );
    case 'if':
    case 'unless': {
      const { then, condition, otherwise } = rich;
      // if: (A or not B) [and (C or B)]; unless: (A and not B) [or (C and B)].
      const conjunction = rich.op === 'if';
      const first = both([cnf(then, negated), cnf(condition, !negated)], !conjunction);
      if (otherwise === undefined) return first;
      const second = both([cnf(otherwise, negated), cnf(condition, negated)], !conjunction);
      return both([first, second], conjunction);
    }
    default: {
      const providers = termProviders(rich, atoms) ?? [];
      if (negated) return providers.map((id) => [-id]);
      return providers.length === 0 ? FALSE : [[...providers]];
    }
  }
}

/**
 * The rich dependency (or, with `negated`, its negation) as clauses over package literals:
 * duplicate literals removed, clauses that always hold dropped. An empty clause means the
 * dependency can never hold.
 */
export function richClauses(rich: RichDependency, atoms: RichAtoms, negated = false): Clause[] {
  const result: Clause[] = [];
  const seen = new Set<string>();
  for (const clause of toCnf(rich, atoms, negated)) {
    const literals = [...new Set(clause)];
    if (literals.some((literal) => literals.includes(-literal))) continue;
    literals.sort((a, b) => (a > 0 === b > 0 ? Math.abs(a) - Math.abs(b) : b - a));
    const key = literals.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(literals);
  }
  return result;
}
