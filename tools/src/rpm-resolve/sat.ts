import type { Rule } from './rules.ts';

/** Raised when the rules contradict each other without any decision: there is no solution. */
export class Unsolvable extends Error {
  override name = 'Unsolvable';

  constructor(readonly conflict: number) {
    super(`rule ${conflict} cannot be satisfied`);
  }
}

/** No reason: the literal was decided, not implied by a rule. */
export const DECIDED = -1;

function code(literal: number): number {
  return literal > 0 ? literal * 2 : -literal * 2 + 1;
}

/**
 * Clauses, assignments and unit propagation with two watched literals per clause, conflict
 * analysis (first unique implication point) and learning. Level 1 holds what follows from the
 * rules alone; every decision opens a new level.
 */
export class SatState {
  readonly rules: Rule[] = [];
  /** 1 installed, -1 not installed, 0 undecided; indexed by package. */
  readonly value: Int8Array;
  readonly levelOf: Int32Array;
  /** The rule that implied the literal, or {@link DECIDED}. */
  readonly reasonOf: Int32Array;
  /** Literals in the order they were set. */
  readonly trail: number[] = [];
  /** Where each level starts in the trail. */
  private readonly levelStarts: number[] = [0, 0];
  private readonly watches: number[][] = [];
  private propagated = 0;
  /** Incremented on every change of the assignment, for caches. */
  version = 0;
  level = 1;

  constructor(readonly size: number) {
    this.value = new Int8Array(size + 1);
    this.levelOf = new Int32Array(size + 1);
    this.reasonOf = new Int32Array(size + 1).fill(DECIDED);
    for (let i = 0; i < (size + 1) * 2; i++) this.watches.push([]);
  }

  /** Whether a literal holds (1), fails (-1) or is open (0). */
  truth(literal: number): number {
    const value = this.value[Math.abs(literal)] ?? 0;
    return literal > 0 ? value : -value;
  }

  installed(id: number): boolean {
    return this.value[id] === 1;
  }

  /** Adds a rule; rules of two or more literals are watched. Returns its index. */
  addRule(rule: Rule): number {
    const index = this.rules.length;
    this.rules.push(rule);
    if (rule.literals.length >= 2) this.watch(index);
    return index;
  }

  private watch(index: number): void {
    const literals = this.rule(index).literals;
    this.watches[code(literals[0] as number)]?.push(index);
    this.watches[code(literals[1] as number)]?.push(index);
  }

  rule(index: number): Rule {
    const rule = this.rules[index];
    if (rule === undefined) throw new RangeError(`no rule ${index}`);
    return rule;
  }

  assign(literal: number, reason: number): void {
    const id = Math.abs(literal);
    this.value[id] = literal > 0 ? 1 : -1;
    this.levelOf[id] = this.level;
    this.reasonOf[id] = reason;
    this.trail.push(literal);
    this.version++;
  }

  /** Opens a new level and sets a decided literal on it. */
  decide(literal: number): void {
    this.level++;
    this.levelStarts[this.level] = this.trail.length;
    this.assign(literal, DECIDED);
  }

  /** Propagates until nothing more follows. Returns a violated rule's index, or -1. */
  propagate(): number {
    while (this.propagated < this.trail.length) {
      const falsified = -(this.trail[this.propagated++] as number);
      const watching = this.watches[code(falsified)] as number[];
      let keep = 0;
      for (let w = 0; w < watching.length; w++) {
        const index = watching[w] as number;
        const literals = this.rule(index).literals;
        if (literals[0] === falsified) {
          literals[0] = literals[1] as number;
          literals[1] = falsified;
        }
        const first = literals[0] as number;
        if (this.truth(first) === 1) {
          watching[keep++] = index;
          continue;
        }
        let moved = false;
        for (let k = 2; k < literals.length; k++) {
          const candidate = literals[k] as number;
          if (this.truth(candidate) !== -1) {
            literals[1] = candidate;
            literals[k] = falsified;
            this.watches[code(candidate)]?.push(index);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        watching[keep++] = index;
        if (this.truth(first) === -1) {
          for (w++; w < watching.length; w++) watching[keep++] = watching[w] as number;
          watching.length = keep;
          this.propagated = this.trail.length;
          return index;
        }
        this.assign(first, index);
      }
      watching.length = keep;
    }
    return -1;
  }

  /** Undoes every assignment above `level`. */
  revert(level: number): void {
    if (level >= this.level) return;
    const start = this.levelStarts[level + 1] ?? this.trail.length;
    while (this.trail.length > start) {
      const id = Math.abs(this.trail.pop() as number);
      this.value[id] = 0;
      this.levelOf[id] = 0;
      this.reasonOf[id] = DECIDED;
    }
    this.levelStarts.length = level + 1;
    this.level = level;
    this.propagated = this.trail.length;
    this.version++;
  }

  /**
   * Learns from a violated rule: returns the learnt clause (its first literal the one to set
   * after going back), the level to go back to, and the rules it follows from.
   */
  analyze(conflict: number): { literals: number[]; backjump: number; sources: number[] } {
    const seen = new Uint8Array(this.size + 1);
    const learnt: number[] = [];
    const sources = new Set<number>();
    let pending = 0;
    let index = this.trail.length - 1;
    let pivot = 0;
    let rule = conflict;
    for (;;) {
      sources.add(rule);
      for (const literal of this.rule(rule).literals) {
        if (literal === pivot) continue;
        const id = Math.abs(literal);
        if (seen[id] === 1) continue;
        seen[id] = 1;
        const level = this.levelOf[id] ?? 0;
        if (level === this.level) pending++;
        else if (level > 1) learnt.push(literal);
        else this.collectRootSources(id, sources);
      }
      while (seen[Math.abs(this.trail[index] as number)] !== 1) index--;
      pivot = this.trail[index] as number;
      index--;
      pending--;
      if (pending === 0) break;
      rule = this.reasonOf[Math.abs(pivot)] ?? DECIDED;
    }
    const literals = [-pivot, ...learnt];
    let backjump = 1;
    let second = 1;
    for (let k = 1; k < literals.length; k++) {
      const level = this.levelOf[Math.abs(literals[k] as number)] ?? 0;
      if (level > backjump) {
        backjump = level;
        second = k;
      }
    }
    if (literals.length > 2) {
      const swap = literals[1] as number;
      literals[1] = literals[second] as number;
      literals[second] = swap;
    }
    return { literals, backjump, sources: [...sources] };
  }

  /** The rules behind a literal fixed on level 1. */
  private collectRootSources(id: number, sources: Set<number>): void {
    const reason = this.reasonOf[id] ?? DECIDED;
    if (reason !== DECIDED) sources.add(reason);
  }

  /** Adds a learnt rule after going back; its first literal is then implied. */
  learn(literals: number[], sources: number[]): number {
    const index = this.addRule({ kind: 'learnt', literals, sources });
    this.assign(literals[0] as number, index);
    return index;
  }
}
