/**
 * Chooses one provider (or nothing) for every name the request reaches, the way apk-tools 2.14
 * does: constraints flow down from the request, packages that can no longer be installed are
 * ruled out and the rule-out flows up to whatever needed them, and names are settled one at a
 * time, names with a single possible provider first. There is no backtracking: like apk, a
 * choice that later turns out wrong is reported as a problem, not undone.
 */

import type { Candidate, Link, NameNode, Provider } from './graph.ts';
import { describeLink, providerHolds } from './links.ts';
import { pickNextName, preferProvider } from './solver-order.ts';
import { reconsiderName } from './solver-reconsider.ts';

export class Solver {
  private readonly dirty: NameNode[] = [];
  /** Names waiting to be settled, newest last. */
  private readonly unresolved: NameNode[] = [];
  /** Packages that provide a versioned name another chosen package (or nothing) holds. */
  readonly clashes: { node: NameNode; holder: Candidate | undefined; pkg: Candidate }[] = [];

  solve(world: readonly Link[]): void {
    for (const link of world) {
      this.discover(link.node);
    }
    for (const link of world) {
      this.applyConstraint(undefined, link);
    }
    for (;;) {
      for (let node = this.dirty.shift(); node !== undefined; node = this.dirty.shift()) {
        if (node.dirty) {
          node.dirty = false;
          reconsiderName(this, node);
        }
      }
      const next = pickNextName(this.unresolved);
      if (next === undefined) {
        break;
      }
      this.select(next);
    }
  }

  /** Marks every name and package reachable from `node` as part of this resolution. */
  private discover(node: NameNode): void {
    if (node.seen) {
      return;
    }
    node.seen = true;
    node.noInstallIf = true;
    for (const { pkg } of node.providers) {
      if (!pkg.seen) {
        // Packages count as possible only from here on, whatever happened to them before.
        pkg.seen = true;
        pkg.selectable = true;
        pkg.ruledOut = undefined;
        pkg.installIfFailed = pkg.installIf.length === 0;
        for (const link of pkg.depends) {
          this.discover(link.node);
          pkg.longestChain = Math.max(pkg.longestChain, link.node.longestChain + 1);
        }
      }
      node.noInstallIf &&= pkg.installIfFailed;
      node.longestChain = Math.max(node.longestChain, pkg.longestChain);
    }
    for (const { pkg } of node.providers) {
      for (const other of pkg.node.installIfDependents) {
        this.discover(other);
      }
      for (const link of pkg.provides) {
        if (!link.node.seen) {
          for (const other of link.node.installIfDependents) {
            this.discover(other);
          }
        }
      }
    }
  }

  private queueDirty(node: NameNode): void {
    if (node.dirty || node.locked || (node.requirers === 0 && !node.recheckInstallIf)) {
      return;
    }
    node.dirty = true;
    this.dirty.push(node);
  }

  queueUnresolved(node: NameNode): void {
    if (node.locked) {
      return;
    }
    const wanted = node.requirers > 0 || node.hasInstallIf;
    if (wanted && !node.unresolved) {
      node.unresolved = true;
      this.unresolved.push(node);
    } else if (!wanted && node.unresolved) {
      this.removeUnresolved(node);
    }
  }

  private removeUnresolved(node: NameNode): void {
    if (node.unresolved) {
      node.unresolved = false;
      this.unresolved.splice(this.unresolved.indexOf(node), 1);
    }
  }

  private recheckDependents(node: NameNode): void {
    for (const other of node.dependents) {
      if (other.seen) {
        other.recheckDeps = true;
        this.queueDirty(other);
      }
    }
  }

  private recheckInstallIfDependents(node: NameNode): void {
    for (const other of node.installIfDependents) {
      if (other.seen && !other.noInstallIf) {
        other.recheckInstallIf = true;
        this.queueDirty(other);
      }
    }
  }

  private recheckInstallIfOf(pkg: Candidate): void {
    this.recheckInstallIfDependents(pkg.node);
    for (const link of pkg.provides) {
      this.recheckInstallIfDependents(link.node);
    }
  }

  private requirersChanged(node: NameNode): void {
    this.queueUnresolved(node);
    this.recheckInstallIfDependents(node);
    this.queueDirty(node);
  }

  ruleOut(pkg: Candidate, why: string): void {
    pkg.selectable = false;
    pkg.ruledOut ??= why;
    this.recheckDependents(pkg.node);
    for (const link of pkg.provides) {
      this.recheckDependents(link.node);
    }
    this.recheckInstallIfOf(pkg);
  }

  applyConstraint(from: Candidate | undefined, link: Link): void {
    const node = link.node;
    if (!link.dep.conflict) {
      node.requirers++;
      if (node.requirers === 1) {
        this.requirersChanged(node);
      }
    }
    for (const provider of node.providers) {
      if (!providerHolds(link, provider)) {
        provider.pkg.conflicts++;
        if (provider.pkg.selectable) {
          const by = from === undefined ? 'the request' : from.id;
          this.ruleOut(provider.pkg, `${by} needs ${describeLink(link)}`);
        }
      }
    }
  }

  /** Whether some package that is still possible (or the locked choice) satisfies `link`. */
  satisfiable(link: Link): boolean {
    const node = link.node;
    if (node.locked) {
      return providerHolds(link, node.chosen);
    }
    if (node.requirers === 0 && providerHolds(link, undefined)) {
      return true;
    }
    return node.providers.some((p) => p.pkg.selectable && providerHolds(link, p));
  }

  requireCommon(node: NameNode): void {
    node.requirers++;
    this.requirersChanged(node);
  }

  private select(node: NameNode): void {
    let chosen: Provider | undefined;
    if (node.requirers > 0 || node.hasInstallIf) {
      for (const provider of node.providers) {
        const pkg = provider.pkg;
        if (node.requirers === 0 && !pkg.installIfTriggered) {
          continue;
        }
        const virtual = provider.version === undefined;
        if (virtual && pkg.node.requirers === 0 && (pkg.record.providerPriority ?? 0) === 0) {
          continue;
        }
        if (preferProvider(provider, chosen)) {
          chosen = provider;
        }
      }
    }
    if (chosen === undefined) {
      this.assign(node, undefined);
      return;
    }
    const pkg = chosen.pkg;
    this.assign(pkg.node, { pkg, version: pkg.record.version, checksum: pkg.record.checksum });
    for (const link of pkg.provides) {
      this.assign(link.node, { pkg, version: link.dep.version, checksum: pkg.record.checksum });
    }
    for (const link of pkg.depends) {
      this.applyConstraint(pkg, link);
    }
  }

  private assign(node: NameNode, provider: Provider | undefined): void {
    if (node.locked) {
      if (provider?.version === undefined && node.chosen?.version === undefined) {
        return;
      }
      if (provider !== undefined) {
        this.clashes.push({ node, holder: node.chosen?.pkg, pkg: provider.pkg });
      }
      return;
    }
    node.locked = true;
    node.chosen = provider;
    node.dirty = false;
    this.removeUnresolved(node);
    for (const other of node.providers) {
      if (other.pkg === provider?.pkg) {
        continue;
      }
      if (provider?.version === undefined && other.version === undefined) {
        continue;
      }
      const holder = provider?.pkg.id ?? 'nothing';
      this.ruleOut(other.pkg, `${node.name} is already provided by ${holder}`);
    }
    this.recheckDependents(node);
    if (provider !== undefined) {
      this.recheckInstallIfOf(provider.pkg);
    } else {
      this.recheckInstallIfDependents(node);
    }
  }
}
