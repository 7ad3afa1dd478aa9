/**
 * The solver's graph in the form the metadata cache keeps: built once from the indexes (names
 * in apk's creation order, providers, and the reverse lists in apk's hash-table order), then
 * packed into typed arrays over one string table, with each package's record as JSON of its
 * own. Read back, a name or package becomes an object only when the solver reaches it, so a
 * warm resolve neither parses the indexes nor builds the graph of every package they list.
 */

import { findInLookup, isPackedLookup, packLookup } from '../metadata-cache/hash-lookup.ts';
import type { PackedLookup } from '../metadata-cache/hash-lookup.ts';
import {
  StringTableReader,
  StringTableWriter,
  allBelow,
  ascendingWithin,
  rangeAt,
} from '../metadata-cache/string-table.ts';
import type { PackedStrings } from '../metadata-cache/string-table.ts';
import type { ApkIndexInput, SolverGraph } from './catalog.ts';
import { Catalog } from './catalog.ts';
import type { ApkDependency } from './dependency.ts';
import { Candidate, NameNode } from './graph.ts';
import type { Link, Provider } from './graph.ts';
import type { ApkIndexRecord } from './record.ts';

/** Bump when the layout below changes. */
export const APK_CATALOG_FORMAT = 1;
/** An absent optional string, stored as its number + 1. */
const ABSENT = 0;
const WHAT = 'the packed APK catalog';

export interface PackedCatalog extends PackedStrings {
  readonly format: number;
  /** How many records each index had, in the order the indexes were given. */
  readonly recordCounts: readonly number[];
  /** Each package's record as UTF-8 JSON; where each ends. */
  readonly records: Uint8Array;
  readonly recordEnds: Uint32Array;
  /** Per package: its name's node. */
  readonly packageNodes: Uint32Array;
  /** Per package: string number + 1 of its `C:` checksum, or ABSENT. */
  readonly packageChecksums: Uint32Array;
  /** Per package: the positions of the indexes that list it, and where each one's end. */
  readonly packageRepos: Uint32Array;
  readonly packageRepoEnds: Uint32Array;
  readonly packagePriorities: Float64Array;
  /** Names in creation order: node number by name. */
  readonly names: PackedLookup;
  /** Per node: 0, 1 or 2, as NameNode.providerMix. */
  readonly providerMix: Uint8Array;
  /** Per node: pairs of package and provided version (string number + 1, or ABSENT). */
  readonly providers: Uint32Array;
  readonly providerEnds: Uint32Array;
  readonly dependents: Uint32Array;
  readonly dependentEnds: Uint32Array;
  readonly installIfDependents: Uint32Array;
  readonly installIfDependentEnds: Uint32Array;
}

/** Appends lists one after another: the flat values and where each list ends. */
class ListWriter {
  readonly values: number[] = [];
  readonly ends: number[] = [];

  add(list: readonly number[]): void {
    for (const value of list) this.values.push(value);
    this.ends.push(this.values.length);
  }
}

/** Builds the graph of the indexes as Catalog.build does, and packs it. */
export function packCatalog(indexes: readonly ApkIndexInput[], arch: string): PackedCatalog {
  const catalog = Catalog.build(indexes, arch);
  const strings = new StringTableWriter();
  const optional = (text: string | undefined) =>
    text === undefined ? ABSENT : strings.id(text) + 1;

  const nodeIds = new Map<NameNode, number>();
  const byName = new Map<string, number[]>();
  for (const node of catalog.names) {
    byName.set(node.name, [nodeIds.size]);
    nodeIds.set(node, nodeIds.size);
  }
  const nodeId = (node: NameNode) => nodeIds.get(node) as number;
  const packageIds = new Map<Candidate, number>(catalog.candidates.map((pkg, id) => [pkg, id]));

  const encoder = new TextEncoder();
  const recordTexts: Uint8Array[] = [];
  const recordEnds = new Uint32Array(catalog.candidates.length);
  const repos = new ListWriter();
  let recordEnd = 0;
  catalog.candidates.forEach((pkg, id) => {
    const text = encoder.encode(JSON.stringify(pkg.record));
    recordTexts.push(text);
    recordEnd += text.length;
    recordEnds[id] = recordEnd;
    repos.add(pkg.repos);
  });

  const providers = new ListWriter();
  const dependents = new ListWriter();
  const installIfDependents = new ListWriter();
  const providerMix = new Uint8Array(nodeIds.size);
  for (const [node, id] of nodeIds) {
    providers.add(
      node.providers.flatMap((provider) => [
        packageIds.get(provider.pkg) as number,
        optional(provider.version),
      ]),
    );
    dependents.add(node.dependents.map(nodeId));
    installIfDependents.add(node.installIfDependents.map(nodeId));
    providerMix[id] = node.providerMix;
  }

  const names = packLookup(byName, 1, strings);
  return {
    format: APK_CATALOG_FORMAT,
    recordCounts: indexes.map((index) => index.records.length),
    records: Buffer.concat(recordTexts),
    recordEnds,
    packageNodes: Uint32Array.from(catalog.candidates, (pkg) => nodeId(pkg.node)),
    packageChecksums: Uint32Array.from(catalog.candidates, (pkg) => optional(pkg.record.checksum)),
    packageRepos: Uint32Array.from(repos.values),
    packageRepoEnds: Uint32Array.from(repos.ends),
    packagePriorities: Float64Array.from(catalog.candidates, (pkg) => pkg.priority),
    names,
    providerMix,
    providers: Uint32Array.from(providers.values),
    providerEnds: Uint32Array.from(providers.ends),
    dependents: Uint32Array.from(dependents.values),
    dependentEnds: Uint32Array.from(dependents.ends),
    installIfDependents: Uint32Array.from(installIfDependents.values),
    installIfDependentEnds: Uint32Array.from(installIfDependents.ends),
    ...strings.pack(),
  };
}

/**
 * Whether a value read back is a packed catalog whose numbers all point inside it: lengths
 * agree, every list's ends ascend within its values, and every package, node, index and string
 * number is in range. The cache file's digest has vouched for the bytes; this is the last
 * check that they are ours.
 */
export function isPackedCatalog(value: unknown): value is PackedCatalog {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof PackedCatalog, unknown>>;
  if (v.format !== APK_CATALOG_FORMAT || !(v.strings instanceof Uint8Array)) return false;
  if (!(v.records instanceof Uint8Array) || !(v.providerMix instanceof Uint8Array)) return false;
  if (!(v.packagePriorities instanceof Float64Array)) return false;
  const counts = v.recordCounts;
  if (!Array.isArray(counts) || !counts.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return false;
  }
  if (!ascendingWithin(v.stringEnds, v.strings.length)) return false;
  const strings = v.stringEnds.length;
  if (!ascendingWithin(v.recordEnds, v.records.length)) return false;
  const packages = v.recordEnds.length;
  if (!isPackedLookup(v.names, strings) || v.names.stride !== 1) return false;
  const nodes = v.names.keys.length;
  if (!allBelow(v.names.values, nodes) || v.providerMix.length !== nodes) return false;
  const perPackage = [v.packageNodes, v.packageChecksums, v.packageRepoEnds];
  if (v.packagePriorities.length !== packages) return false;
  if (!perPackage.every((list) => list instanceof Uint32Array && list.length === packages)) {
    return false;
  }
  if (!allBelow(v.packageNodes, nodes) || !allBelow(v.packageChecksums, strings + 1)) return false;
  if (!lists(v.packageRepos, v.packageRepoEnds, packages, counts.length)) return false;
  if (!lists(v.dependents, v.dependentEnds, nodes, nodes)) return false;
  if (!lists(v.installIfDependents, v.installIfDependentEnds, nodes, nodes)) return false;
  const pairs = v.providers;
  if (!(pairs instanceof Uint32Array) || pairs.length % 2 !== 0) return false;
  if (!ascendingWithin(v.providerEnds, pairs.length) || v.providerEnds.length !== nodes) {
    return false;
  }
  for (let at = 0; at < pairs.length; at += 2) {
    if ((pairs[at] as number) >= packages || (pairs[at + 1] as number) > strings) return false;
  }
  return v.providerEnds.every((end) => end % 2 === 0);
}

/** `count` lists of numbers below `limit`, flat in `values`, ending where `ends` says. */
function lists(values: unknown, ends: unknown, count: number, limit: number): boolean {
  if (!(values instanceof Uint32Array) || !allBelow(values, limit)) return false;
  return ascendingWithin(ends, values.length) && ends.length === count;
}

/**
 * The packed graph as the solver sees it: names and packages are made the first time they are
 * reached, with their lists read then; a name no index mentions is made empty, as Catalog does.
 */
export class PackedCatalogView implements SolverGraph {
  private readonly strings: StringTableReader;
  /** The records' JSON, viewed as a Buffer once. */
  private readonly recordText: Buffer;
  private readonly nodes: (NameNode | undefined)[];
  private readonly packages: (Candidate | undefined)[];
  private readonly unknownNames = new Map<string, NameNode>();
  /** Every name and package made so far, for reset(). */
  private readonly made: { reset(): void }[] = [];

  constructor(private readonly packed: PackedCatalog) {
    this.strings = new StringTableReader(packed, WHAT);
    const { records } = packed;
    this.recordText = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
    this.nodes = new Array<NameNode | undefined>(packed.providerMix.length);
    this.packages = new Array<Candidate | undefined>(packed.recordEnds.length);
  }

  /** How many records each index had. */
  get recordCounts(): readonly number[] {
    return this.packed.recordCounts;
  }

  node(name: string): NameNode {
    const found = findInLookup(this.packed.names, this.strings, name);
    if (found !== undefined) return this.nodeAt(this.packed.names.values[found[0]] as number);
    let node = this.unknownNames.get(name);
    if (node === undefined) {
      node = new NameNode(name);
      this.unknownNames.set(name, node);
      this.made.push(node);
    }
    return node;
  }

  link(dep: ApkDependency): Link {
    return { dep, node: this.node(dep.name) };
  }

  reset(): void {
    for (const thing of this.made) thing.reset();
  }

  private nodeAt(id: number): NameNode {
    let node = this.nodes[id];
    if (node !== undefined) return node;
    const { packed } = this;
    const name = this.strings.string(packed.names.keys[id] as number);
    const nodesOf = (values: Uint32Array, ends: Uint32Array) => () =>
      Array.from(listAt(values, ends, id), (other) => this.nodeAt(other));
    node = new NameNode(name, {
      providers: () => this.providersOf(id),
      dependents: nodesOf(packed.dependents, packed.dependentEnds),
      installIfDependents: nodesOf(packed.installIfDependents, packed.installIfDependentEnds),
    });
    node.providerMix = packed.providerMix[id] as number;
    this.nodes[id] = node;
    this.made.push(node);
    return node;
  }

  private providersOf(id: number): Provider[] {
    const pairs = listAt(this.packed.providers, this.packed.providerEnds, id);
    const providers: Provider[] = [];
    for (let at = 0; at < pairs.length; at += 2) {
      const pkg = pairs[at] as number;
      providers.push({
        pkg: this.packageAt(pkg),
        version: this.optionalString(pairs[at + 1] as number),
        checksum: this.optionalString(this.packed.packageChecksums[pkg] as number),
      });
    }
    return providers;
  }

  private packageAt(id: number): Candidate {
    let candidate = this.packages[id];
    if (candidate === undefined) {
      const { packed } = this;
      const node = this.nodeAt(packed.packageNodes[id] as number);
      candidate = new Candidate(() => this.recordAt(id), node, this);
      candidate.repos.push(...listAt(packed.packageRepos, packed.packageRepoEnds, id));
      candidate.priority = packed.packagePriorities[id] as number;
      this.packages[id] = candidate;
      this.made.push(candidate);
    }
    return candidate;
  }

  private recordAt(id: number): ApkIndexRecord {
    const [start, end] = rangeAt(this.packed.recordEnds, id);
    return JSON.parse(this.recordText.toString('utf8', start, end)) as ApkIndexRecord;
  }

  private optionalString(number: number): string | undefined {
    return number === ABSENT ? undefined : this.strings.string(number - 1);
  }
}

function listAt(values: Uint32Array, ends: Uint32Array, id: number): Uint32Array {
  const [start, end] = rangeAt(ends, id);
  return values.subarray(start, end);
}
