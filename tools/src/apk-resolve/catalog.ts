/**
 * The graph the solver works on: every name that appears anywhere (package names, provided
 * names, dependency targets), the packages that provide each name, and the reverse edges the
 * solver follows when something changes.
 */

import type { ApkDependency } from './dependency.ts';
import { Candidate, NameNode } from './graph.ts';
import type { Link, Linker } from './graph.ts';
import { inHashOrder } from './name-hash.ts';
import type { ApkIndexRecord } from './record.ts';

export interface ApkIndexInput {
  readonly repository: string;
  /** Higher wins over lower before versions are compared (like apk's repository pinning). */
  readonly priority?: number;
  readonly records: readonly ApkIndexRecord[];
}

/** What the solver asks of a graph: built here from records, or read back from the cache. */
export interface SolverGraph extends Linker {
  /** The node of a name, created on first use. */
  node(name: string): NameNode;
  /** Clears what a previous resolution left behind. */
  reset(): void;
}

export class Catalog implements SolverGraph {
  /** In creation order, which apk's name table depends on. */
  private readonly nodes = new Map<string, NameNode>();
  private readonly packages: Candidate[] = [];

  /** The names, in creation order. */
  get names(): IterableIterator<NameNode> {
    return this.nodes.values();
  }

  /** The packages, in creation order. */
  get candidates(): readonly Candidate[] {
    return this.packages;
  }

  node(name: string): NameNode {
    let node = this.nodes.get(name);
    if (node === undefined) {
      node = new NameNode(name);
      this.nodes.set(name, node);
    }
    return node;
  }

  reset(): void {
    for (const node of this.nodes.values()) node.reset();
    for (const pkg of this.packages) pkg.reset();
  }

  link(dep: ApkDependency): Link {
    return { dep, node: this.node(dep.name) };
  }

  /**
   * Builds the graph. Records of another architecture are left out (`noarch` and records
   * without `A:` are kept); a package listed in several indexes with the same `C:` is one
   * package available from all of them.
   */
  static build(indexes: readonly ApkIndexInput[], arch: string): Catalog {
    const catalog = new Catalog();
    const byChecksum = new Map<string, Candidate>();
    indexes.forEach((index, position) => {
      for (const record of index.records) {
        if (record.arch !== undefined && record.arch !== arch && record.arch !== 'noarch') {
          continue;
        }
        const key = record.checksum ?? `${position}\0${record.name}\0${record.version}`;
        let pkg = byChecksum.get(key);
        if (pkg === undefined) {
          pkg = catalog.addPackage(record);
          byChecksum.set(key, pkg);
        }
        if (!pkg.repos.includes(position)) {
          pkg.repos.push(position);
        }
        pkg.priority = Math.max(pkg.priority, index.priority ?? 0);
      }
    });
    catalog.linkDependents();
    return catalog;
  }

  /** Names are created in the order apk reads the fields: P, then D, p and i. */
  private addPackage(record: ApkIndexRecord): Candidate {
    const pkg = new Candidate(record, this.node(record.name), this);
    this.packages.push(pkg);
    // Reading the links creates their names, in this order.
    void pkg.depends;
    void pkg.provides;
    void pkg.installIf;
    pkg.node.providers.push({ pkg, version: record.version, checksum: record.checksum });
    for (const link of pkg.provides) {
      link.node.providers.push({ pkg, version: link.dep.version, checksum: record.checksum });
    }
    return pkg;
  }

  /**
   * Fills the reverse lists the way apk does: walking names in its hash-table order, each name
   * is listed as a dependent of whatever its providers depend on (or install_if on).
   */
  private linkDependents(): void {
    for (const node of inHashOrder([...this.nodes.values()], (n) => n.name)) {
      for (const { pkg } of node.providers) {
        for (const link of pkg.depends) {
          if (link.node.lastDependent !== node) {
            link.node.lastDependent = node;
            link.node.dependents.push(node);
          }
        }
        for (const link of pkg.installIf) {
          if (link.node.lastInstallIfDependent !== node) {
            link.node.lastInstallIfDependent = node;
            link.node.installIfDependents.push(node);
          }
        }
      }
      const provided = node.providers.filter((p) => p.pkg.node !== node).length;
      node.providerMix = provided === 0 ? 0 : provided === node.providers.length ? 2 : 1;
    }
  }
}
