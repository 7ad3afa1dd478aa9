import type { SatState } from './sat.ts';
import type { Decision } from './weak-install.ts';

/** A decision between several candidates, kept to revisit it at the end. */
export interface Branch {
  /** The level the decision was taken from (the chosen package sits on the next one). */
  readonly level: number;
  /** Best first; the first was chosen. */
  readonly candidates: readonly number[];
  readonly tried: boolean[];
  readonly reason: Decision;
}

/** The open decisions, oldest first. */
export class Branches {
  private readonly list: Branch[] = [];

  add(level: number, candidates: readonly number[], reason: Decision): void {
    this.list.push({ level, candidates, tried: candidates.map((_, index) => index === 0), reason });
  }

  /** Forgets decisions taken above `level`. */
  revert(level: number): void {
    while ((this.list[this.list.length - 1]?.level ?? 0) > level) this.list.pop();
  }

  /**
   * libsolv's final minimisation: the oldest decision where another candidate ended up
   * installed anyway (on a later level), or where another candidate is recommended and the
   * chosen one is not. Marks that candidate tried and returns it with its branch.
   */
  reconsider(
    sat: SatState,
    isRecommended: (id: number) => boolean,
  ): { branch: Branch; candidate: number } | undefined {
    let target: { branch: Branch; candidate: number } | undefined;
    for (let b = this.list.length - 1; b >= 0; b--) {
      const branch = this.list[b] as Branch;
      let recommended = -1;
      let later = -1;
      branch.candidates.forEach((id, c) => {
        if (branch.tried[c] || later >= 0) return;
        if (sat.installed(id) && (sat.levelOf[id] ?? 0) > branch.level) later = c;
        else if (recommended < 0 && isRecommended(id)) recommended = c;
      });
      if (later >= 0) {
        target = { branch, candidate: later };
        continue;
      }
      if (recommended < 0) continue;
      const chosenNotRecommended = branch.candidates.some(
        (id, c) =>
          branch.tried[c] &&
          sat.installed(id) &&
          sat.levelOf[id] === branch.level + 1 &&
          !isRecommended(id),
      );
      if (chosenNotRecommended) target = { branch, candidate: recommended };
    }
    if (target !== undefined) target.branch.tried[target.candidate] = true;
    return target;
  }
}
