/**
 * The nodes of the solver's graph: names and the packages that provide them. Each node also
 * carries the solver's working state for one resolution; `reset()` clears it so that a graph
 * built once can serve many resolutions. A graph read back from the metadata cache fills a
 * node's lists, and a package's record and links, only when the solver first looks at them.
 */

import type { ApkDependency, ProvidedAs } from './dependency.ts';
import { apkPackageId } from './record.ts';
import type { ApkIndexRecord } from './record.ts';

/** A package providing a name: as its own name, or through one of its provides. */
export interface Provider extends ProvidedAs {
  readonly pkg: Candidate;
}

/** A dependency, install_if condition or provide, with its name looked up. */
export interface Link {
  readonly dep: ApkDependency;
  readonly node: NameNode;
}

/** Looks a dependency's name up in the graph, creating the name on first use. */
export interface Linker {
  link(dep: ApkDependency): Link;
}

/** Where a node read back from the cache gets its lists from, the first time each is asked. */
export interface NodeLists {
  providers(): Provider[];
  dependents(): NameNode[];
  installIfDependents(): NameNode[];
}

export class NameNode {
  private providerList: Provider[] | undefined;
  private dependentList: NameNode[] | undefined;
  private installIfDependentList: NameNode[] | undefined;
  /** 0: only real packages of this name, 1: real and provided, 2: only provided. */
  providerMix = 0;
  /** While building the lists above: the dependent added last, to add each one once. */
  lastDependent: NameNode | undefined = undefined;
  lastInstallIfDependent: NameNode | undefined = undefined;

  // Working state of one resolution, set by reset().
  seen!: boolean;
  locked!: boolean;
  /** The provider chosen once locked; undefined when locked to nothing. */
  chosen!: Provider | undefined;
  requirers!: number;
  hasOptions!: boolean;
  hasInstallIf!: boolean;
  noInstallIf!: boolean;
  reverseDepsDone!: boolean;
  recheckDeps!: boolean;
  recheckInstallIf!: boolean;
  longestChain!: number;
  mergedDepends!: number;
  mergedProvides!: number;
  hasVirtualProvides!: boolean;
  dirty!: boolean;
  unresolved!: boolean;
  inInstallOrder!: boolean;

  constructor(
    readonly name: string,
    private readonly lists?: NodeLists,
  ) {
    this.reset();
  }

  get providers(): Provider[] {
    return (this.providerList ??= this.lists?.providers() ?? []);
  }

  /** Names with a package that depends on this name, in apk's order. */
  get dependents(): NameNode[] {
    return (this.dependentList ??= this.lists?.dependents() ?? []);
  }

  /** Names with a package whose install_if mentions this name, in apk's order. */
  get installIfDependents(): NameNode[] {
    return (this.installIfDependentList ??= this.lists?.installIfDependents() ?? []);
  }

  reset(): void {
    this.seen = false;
    this.locked = false;
    this.chosen = undefined;
    this.requirers = 0;
    this.hasOptions = false;
    this.hasInstallIf = false;
    this.noInstallIf = true;
    this.reverseDepsDone = false;
    this.recheckDeps = false;
    this.recheckInstallIf = false;
    this.longestChain = 0;
    this.mergedDepends = 0;
    this.mergedProvides = 0;
    this.hasVirtualProvides = false;
    this.dirty = false;
    this.unresolved = false;
    this.inInstallOrder = false;
  }
}

export class Candidate {
  private recordValue: ApkIndexRecord | undefined;
  private readonly readRecord: (() => ApkIndexRecord) | undefined;
  private idValue: string | undefined;
  private dependsList: Link[] | undefined;
  private providesList: Link[] | undefined;
  private installIfList: Link[] | undefined;
  /** Positions of the indexes that list this package (the same `C:` in several). */
  readonly repos: number[] = [];
  /** The highest priority among those indexes. */
  priority = Number.NEGATIVE_INFINITY;

  // Working state of one resolution, set by reset().
  seen!: boolean;
  /** Whether it may still be chosen; packages the resolution has not reached may not. */
  selectable!: boolean;
  /** Why the package was ruled out, for messages. */
  ruledOut!: string | undefined;
  conflicts!: number;
  installIfTriggered!: boolean;
  installIfFailed!: boolean;
  dependenciesMerged!: boolean;
  dependenciesUsed!: boolean;
  longestChain!: number;
  inInstallOrder!: boolean;

  constructor(
    record: ApkIndexRecord | (() => ApkIndexRecord),
    readonly node: NameNode,
    private readonly linker: Linker,
  ) {
    if (typeof record === 'function') this.readRecord = record;
    else this.recordValue = record;
    this.reset();
  }

  /** The package's index record: given, or read from the cache on first use. */
  get record(): ApkIndexRecord {
    return (this.recordValue ??= (this.readRecord as () => ApkIndexRecord)());
  }

  get id(): string {
    return (this.idValue ??= apkPackageId(this.record));
  }

  get depends(): Link[] {
    return (this.dependsList ??= this.record.depends.map((dep) => this.linker.link(dep)));
  }

  get provides(): Link[] {
    return (this.providesList ??= this.record.provides.map((dep) => this.linker.link(dep)));
  }

  get installIf(): Link[] {
    return (this.installIfList ??= this.record.installIf.map((dep) => this.linker.link(dep)));
  }

  get firstRepo(): number {
    return Math.min(...this.repos);
  }

  reset(): void {
    this.seen = false;
    this.selectable = false;
    this.ruledOut = undefined;
    this.conflicts = 0;
    this.installIfTriggered = false;
    this.installIfFailed = false;
    this.dependenciesMerged = false;
    this.dependenciesUsed = false;
    this.longestChain = 0;
    this.inInstallOrder = false;
  }
}
