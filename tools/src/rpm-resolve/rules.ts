/** Why a clause exists; it is what problem reports and install reasons are made from. */
export type RuleKind =
  /** A request: one of these packages. */
  | 'job'
  /** A package needs one of the providers of a capability. */
  | 'requires'
  /** A package's requirement nothing in the repositories provides. */
  | 'nothing-provides'
  | 'conflicts'
  | 'obsoletes'
  /** Two versions (or architectures that cannot live together) of one name. */
  | 'same-name'
  /** Derived by the solver from a conflict. */
  | 'learnt';

/**
 * A clause over package literals: `p` means package p is installed, `-p` that it is not; at
 * least one literal must hold.
 */
export interface Rule {
  readonly kind: RuleKind;
  /** The literals; the solver reorders them (its first two are watched). */
  readonly literals: number[];
  /** The package whose dependency this is. */
  readonly owner?: number;
  /** The dependency, as text. */
  readonly dep?: string;
  /** The other package of a conflict, obsoletes or same-name pair. */
  readonly other?: number;
  /** For jobs: which request. */
  readonly job?: number;
  /** For learnt rules: the rules it was derived from. */
  readonly sources?: readonly number[];
}
