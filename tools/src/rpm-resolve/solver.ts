import { Branches } from './branches.ts';
import { filterCandidates } from './policy.ts';
import type { PolicyMode, PolicyState } from './policy.ts';
import type { Pool } from './pool.ts';
import type { RichCache } from './rule-builder.ts';
import type { Rule } from './rules.ts';
import { DECIDED, SatState, Unsolvable } from './sat.ts';
import { installWeakDependencies } from './weak-install.ts';
import type { Decision, WeakHost } from './weak-install.ts';
import { WeakState } from './weak-state.ts';

/** A request turned into clauses over its candidates. */
export interface Job {
  readonly request: string;
  readonly clauses: readonly (readonly number[])[];
}

function positiveCount(literals: readonly number[]): number {
  return literals.filter((literal) => literal > 0).length;
}

function compareLiterals(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/**
 * Decides which packages to install the way libsolv does for dnf: requests first, then unmet
 * requirements (those with one obviously best provider before the others), then weak
 * dependencies, and finally revisiting choices whose alternative ended up installed anyway or
 * is recommended.
 */
export class Solver implements PolicyState, WeakHost {
  readonly sat: SatState;
  readonly weak: WeakState;
  readonly decisions = new Map<number, Decision>();
  private readonly branches = new Branches();
  /** Rules with a choice between several packages, in the order libsolv visits them. */
  private readonly scan: number[];
  private readonly jobRules: number[] = [];
  private readonly units: number[] = [];

  constructor(
    readonly pool: Pool,
    riches: RichCache,
    rules: readonly Rule[],
    jobs: readonly Job[],
    private readonly installWeak: boolean,
  ) {
    this.sat = new SatState(pool.size);
    this.weak = new WeakState(pool, riches, this.sat);
    const choices: { index: number; owner: number; literals: readonly number[] }[] = [];
    for (const rule of rules) {
      const literals = [...rule.literals];
      const index = this.sat.addRule({ ...rule, literals: [...rule.literals] });
      if (literals.length === 1) this.units.push(index);
      if (positiveCount(literals) >= 2) choices.push({ index, owner: rule.owner ?? 0, literals });
    }
    choices.sort((a, b) => b.owner - a.owner || compareLiterals(a.literals, b.literals));
    this.scan = choices.map((choice) => choice.index);
    jobs.forEach((job, jobIndex) => {
      for (const clause of job.clauses) {
        const index = this.sat.addRule({ kind: 'job', literals: [...clause], job: jobIndex });
        this.jobRules.push(index);
        if (clause.length <= 1) this.units.push(index);
      }
    });
  }

  isRecommended(id: number): boolean {
    return this.weak.isRecommended(id);
  }

  isSuggested(id: number): boolean {
    return this.weak.isSuggested(id);
  }

  filter(candidates: readonly number[], mode: PolicyMode): number[] {
    return filterCandidates(this, candidates, mode);
  }

  /** Runs to a solution; throws {@link Unsolvable} when there is none. */
  run(): void {
    this.assertUnits();
    for (;;) {
      if (!this.resolveJobs()) continue;
      if (!this.resolveDependencies()) continue;
      if (this.installWeak && installWeakDependencies(this)) continue;
      if (this.minimize()) continue;
      return;
    }
  }

  /** The installed packages, ascending. */
  installed(): number[] {
    const result: number[] = [];
    for (let id = 1; id <= this.pool.size; id++) if (this.sat.installed(id)) result.push(id);
    return result;
  }

  private assertUnits(): void {
    for (const index of this.units) {
      const literal = this.sat.rule(index).literals[0];
      if (literal === undefined) throw new Unsolvable(index);
      const truth = this.sat.truth(literal);
      if (truth === -1) throw new Unsolvable(index);
      if (truth === 0) this.sat.assign(literal, index);
    }
    const conflict = this.sat.propagate();
    if (conflict >= 0) throw new Unsolvable(conflict);
  }

  /** Undecided positive literals of a rule that is not met yet and whose conditions hold. */
  private openCandidates(index: number): number[] | undefined {
    const candidates: number[] = [];
    for (const literal of this.sat.rule(index).literals) {
      const truth = this.sat.truth(literal);
      if (literal < 0) {
        if (truth !== -1) return undefined;
      } else if (truth === 1) {
        return undefined;
      } else if (truth === 0) {
        candidates.push(literal);
      }
    }
    return candidates.sort((a, b) => a - b);
  }

  install(id: number, reason: Decision): number {
    this.sat.decide(id);
    this.decisions.set(id, reason);
    for (;;) {
      const conflict = this.sat.propagate();
      if (conflict < 0) return this.sat.level;
      if (this.sat.level <= 1) throw new Unsolvable(conflict);
      const { literals, backjump, sources } = this.sat.analyze(conflict);
      this.revert(backjump);
      const learnt = this.sat.learn(literals, sources);
      if (positiveCount(literals) >= 2) this.scan.push(learnt);
    }
  }

  choose(candidates: number[], reason: Decision): number {
    const list = candidates.length > 1 ? this.filter(candidates, 'choose') : candidates;
    const chosen = list[0] as number;
    if (list.length > 1) this.branches.add(this.sat.level, list, reason);
    return this.install(chosen, reason);
  }

  private revert(level: number): void {
    this.sat.revert(level);
    this.branches.revert(level);
  }

  private resolveJobs(): boolean {
    const start = this.sat.level;
    for (let i = 0; i < this.jobRules.length; i++) {
      const index = this.jobRules[i] as number;
      const candidates = this.openCandidates(index);
      if (candidates === undefined || candidates.length === 0) continue;
      const before = this.sat.level;
      const level = this.choose(candidates, { kind: 'rule', rule: index });
      if (level <= before) {
        if (level < start) return false;
        i = -1;
      }
    }
    return true;
  }

  private resolveDependencies(): boolean {
    const origin = this.sat.level;
    let postponed = -1;
    let postponing = true;
    let i = 0;
    let examined = 0;
    for (;;) {
      if (examined >= this.scan.length) {
        if (!postponing || postponed < 0) return true;
        i = postponed;
        postponing = false;
        examined = 0;
      }
      if (i >= this.scan.length) i = 0;
      const index = this.scan[i] as number;
      let candidates = this.openCandidates(index);
      i++;
      examined++;
      if (candidates === undefined || candidates.length < 2) continue;
      if (postponing) {
        candidates = this.filter(candidates, 'choose-quick');
        if (candidates.length > 1) {
          if (postponed < 0) postponed = i - 1;
          continue;
        }
      }
      const reason: Decision = { kind: 'rule', rule: index };
      const level = this.choose(candidates, reason);
      if (level < origin) return false;
      examined = 0;
    }
  }

  /**
   * Takes another candidate of an earlier choice when that candidate was installed later
   * anyway, or when it is recommended and the chosen one is not. Returns whether it did.
   */
  private minimize(): boolean {
    const target = this.branches.reconsider(this.sat, (id) => this.isRecommended(id));
    if (target === undefined) return false;
    this.revert(target.branch.level);
    this.install(target.branch.candidates[target.candidate] as number, target.branch.reason);
    return true;
  }

  /** The rule that implied a package, or what led to deciding it. */
  reasonFor(id: number): Decision | undefined {
    const rule = this.sat.reasonOf[id] ?? DECIDED;
    if (rule !== DECIDED) return { kind: 'rule', rule };
    return this.decisions.get(id);
  }
}
