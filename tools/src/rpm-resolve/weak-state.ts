import type { RpmDependency } from '../rpm-repo/types.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import type { Pool } from './pool.ts';
import { isRich } from './rich.ts';
import { richCandidates, richHolds } from './rich-logic.ts';
import type { RichAtoms } from './rich-logic.ts';
import { isSystemCapability } from './rule-builder.ts';
import type { RichCache } from './rule-builder.ts';
import type { SatState } from './sat.ts';

/**
 * What the installed packages recommend, suggest, and which packages supplement or enhance
 * them; recomputed whenever the assignment changes.
 */
export class WeakState {
  private version = -1;
  private recommended = new Set<number>();
  private suggested = new Set<number>();
  private readonly supplementing = new Map<number, string | false>();
  private readonly enhancing = new Map<number, boolean>();
  private readonly atoms: RichAtoms;

  constructor(
    private readonly pool: Pool,
    private readonly riches: RichCache,
    private readonly sat: SatState,
  ) {
    this.atoms = { providers: (dep) => pool.whatProvides(dep) };
  }

  private refresh(): void {
    if (this.version === this.sat.version) return;
    this.version = this.sat.version;
    this.supplementing.clear();
    this.enhancing.clear();
    this.recommended = new Set();
    this.suggested = new Set();
    for (const literal of this.sat.trail) {
      if (literal < 0) continue;
      const { pkg } = this.pool.get(literal);
      for (const dep of pkg.recommends)
        for (const id of this.pointsAt(dep)) this.recommended.add(id);
      for (const dep of pkg.suggests) for (const id of this.pointsAt(dep)) this.suggested.add(id);
    }
  }

  /** The packages a weak dependency of an installed package points at. */
  pointsAt(dep: RpmDependency): readonly number[] {
    if (isSystemCapability(dep.name)) return [];
    if (!isRich(dep.name)) return this.pool.whatProvides(dep);
    const rich = this.riches.get(dep.name);
    if (rich === undefined) return [];
    return richCandidates(rich, this.atoms, (id) => this.sat.installed(id));
  }

  /** Whether a dependency is met by the installed packages. */
  holds(dep: RpmDependency): boolean {
    if (isSystemCapability(dep.name)) return true;
    if (!isRich(dep.name)) return this.pool.whatProvides(dep).some((id) => this.sat.installed(id));
    const rich = this.riches.get(dep.name);
    return rich !== undefined && richHolds(rich, this.atoms, (id) => this.sat.installed(id));
  }

  /** The supplements entry the installed packages meet, as text, or undefined. */
  supplements(id: number): string | undefined {
    this.refresh();
    let found = this.supplementing.get(id);
    if (found === undefined) {
      const dep = this.pool.get(id).pkg.supplements.find((entry) => this.holds(entry));
      found = dep === undefined ? false : formatDependency(dep);
      this.supplementing.set(id, found);
    }
    return found === false ? undefined : found;
  }

  private enhances(id: number): boolean {
    let found = this.enhancing.get(id);
    if (found === undefined) {
      found = this.pool.get(id).pkg.enhances.some((entry) => this.holds(entry));
      this.enhancing.set(id, found);
    }
    return found;
  }

  isRecommended(id: number): boolean {
    this.refresh();
    return this.recommended.has(id) || this.supplements(id) !== undefined;
  }

  isSuggested(id: number): boolean {
    this.refresh();
    return this.suggested.has(id) || this.enhances(id);
  }
}
