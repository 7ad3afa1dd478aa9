import type { RpmDependency, RpmRepoPackage } from '../rpm-repo/types.ts';
import { provideSatisfies, selfProvide } from './dependency.ts';

/** rpm's preferred colour on x86_64 and aarch64 (`%_prefer_color`): 64-bit ELF. */
const ELF64 = 2;

function isElf64Dependency(name: string): boolean {
  return name.endsWith('(64bit)');
}

/**
 * A package's colour as rpm computes it from the files behind its dependencies: 64-bit ELF when
 * it provides or requires a `(64bit)` library, else none. Repodata has no file colours; this
 * is what they amount to on a 64-bit transaction.
 */
function packageColor(pkg: RpmRepoPackage): number {
  const elf = [...pkg.provides, ...pkg.requires].some((dep) => isElf64Dependency(dep.name));
  return elf ? ELF64 : 0;
}

/** A dependency's colour: that of the files that generate it. */
function dependencyColor(dep: RpmDependency, owner: RpmRepoPackage, ownerColor: number): number {
  if (isElf64Dependency(dep.name)) return ELF64;
  return dep.name.startsWith('rtld(') && owner.arch !== 'noarch' ? ownerColor : 0;
}

/**
 * Who satisfies a dependency inside one transaction, the way rpm's added-package index answers
 * it (rpmalSatisfiesDepend): a path is looked up among the packages' files first and among
 * their provides only when no file matches; of several providers the one of the dependency's
 * colour (or of the preferred colour) wins, then the package itself, then the first added.
 */
export class TransactionProviders {
  private readonly files = new Map<string, number[]>();
  private readonly provides = new Map<string, { at: number; provide: RpmDependency }[]>();
  private readonly colors: readonly number[];

  constructor(private readonly packages: readonly RpmRepoPackage[]) {
    packages.forEach((pkg, at) => {
      for (const path of pkg.files) {
        const owners = this.files.get(path);
        if (owners === undefined) this.files.set(path, [at]);
        else if (owners.at(-1) !== at) owners.push(at);
      }
      const own = selfProvide(pkg);
      const provides = pkg.provides.some((provide) => provide.name === pkg.name)
        ? pkg.provides
        : [own, ...pkg.provides];
      for (const provide of provides) {
        const entries = this.provides.get(provide.name);
        if (entries === undefined) this.provides.set(provide.name, [{ at, provide }]);
        else entries.push({ at, provide });
      }
    });
    this.colors = packages.map(packageColor);
  }

  /** The position of the package that satisfies `dep` of the package at `at`, if any. */
  providerOf(at: number, dep: RpmDependency): number | undefined {
    const candidates = this.candidates(dep);
    const owner = this.packages[at];
    if (candidates.length === 0 || owner === undefined) return undefined;
    const color = dependencyColor(dep, owner, this.colors[at] ?? 0);
    let best: number | undefined;
    let bestScore = 0;
    for (const candidate of candidates) {
      const candidateColor = this.colors[candidate] ?? 0;
      let score = (color !== 0 ? color === candidateColor : candidateColor === ELF64) ? 2 : 0;
      if (candidate === at) score += 1;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best ?? candidates[0];
  }

  private candidates(dep: RpmDependency): number[] {
    if (dep.name.startsWith('/')) {
      const owners = this.files.get(dep.name);
      if (owners !== undefined && owners.length > 0) return owners;
    }
    return (this.provides.get(dep.name) ?? [])
      .filter(({ provide }) => provideSatisfies(provide, dep))
      .map(({ at }) => at);
  }
}
