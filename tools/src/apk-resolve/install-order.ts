/**
 * The order apk installs the chosen packages in: the request in name order, each package after
 * its dependencies (depth first, in the order the dependencies are listed), and an install_if
 * package right after the last of its conditions is installed. Walking that order is also where
 * unmet dependencies show, so it collects them for the error message.
 */

import type { Candidate, Link, NameNode } from './graph.ts';
import type { ApkDependency } from './dependency.ts';
import { providerHolds } from './links.ts';

/** Why a package is in the result. */
export type ApkSelectionReason =
  | { readonly kind: 'requested'; readonly dependency: ApkDependency }
  | {
      readonly kind: 'dependency';
      /** Name of the package that depends on it. */
      readonly by: string;
      readonly dependency: ApkDependency;
    }
  | { readonly kind: 'install-if'; readonly conditions: readonly ApkDependency[] };

/** A dependency (or request, when `from` is undefined) that the chosen packages do not meet. */
export interface UnmetDependency {
  readonly from: Candidate | undefined;
  readonly link: Link;
}

export interface InstallPlan {
  readonly order: Candidate[];
  /** By package name. */
  readonly reasons: Map<string, ApkSelectionReason>;
  readonly unmet: UnmetDependency[];
}

class Planner implements InstallPlan {
  readonly order: Candidate[] = [];
  readonly reasons = new Map<string, ApkSelectionReason>();
  readonly unmet: UnmetDependency[] = [];

  follow(from: Candidate | undefined, link: Link): void {
    if (!providerHolds(link, link.node.chosen)) {
      this.unmet.push({ from, link });
    }
    const reason: ApkSelectionReason =
      from === undefined
        ? { kind: 'requested', dependency: link.dep }
        : { kind: 'dependency', by: from.record.name, dependency: link.dep };
    this.install(link.node, reason);
  }

  private install(node: NameNode, reason: ApkSelectionReason): void {
    if (node.inInstallOrder) {
      return;
    }
    node.inInstallOrder = true;
    const pkg = node.chosen?.pkg;
    if (pkg === undefined || pkg.inInstallOrder) {
      return;
    }
    pkg.inInstallOrder = true;
    pkg.node.inInstallOrder = true;
    for (const link of pkg.provides) {
      link.node.inInstallOrder = true;
    }
    this.reasons.set(pkg.record.name, reason);
    for (const link of pkg.depends) {
      this.follow(pkg, link);
    }
    this.order.push(pkg);
    this.installTriggered(pkg.node);
    for (const link of pkg.provides) {
      this.installTriggered(link.node);
    }
  }

  /** Installs the install_if packages waiting on `node` whose conditions now all hold. */
  private installTriggered(node: NameNode): void {
    for (const waiting of node.installIfDependents) {
      const pkg = waiting.chosen?.pkg;
      if (pkg === undefined || !waiting.seen || waiting.inInstallOrder) {
        continue;
      }
      const ready = pkg.installIf.every(
        (link) => link.node.inInstallOrder && providerHolds(link, link.node.chosen),
      );
      if (ready) {
        this.install(waiting, { kind: 'install-if', conditions: pkg.record.installIf });
      }
    }
  }
}

export function planInstall(world: readonly Link[]): InstallPlan {
  const planner = new Planner();
  for (const link of world) {
    planner.follow(undefined, link);
  }
  return planner;
}
