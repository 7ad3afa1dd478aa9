/**
 * A repository's packages in the form the metadata cache keeps: each package's own fields as a
 * plain record, and its dependency and file lists packed into typed arrays over one string
 * table. Read back, a list is decoded when it is first read, and provides are found by name
 * through a packed hash table. A warm resolve touches a few hundred of the tens of thousands
 * of dependency entries a repository has, so most of them never become objects.
 */

import { findInLookup, isPackedLookup, packLookup } from '../metadata-cache/hash-lookup.ts';
import type { PackedLookup } from '../metadata-cache/hash-lookup.ts';
import {
  StringTableReader,
  StringTableWriter,
  allBelow,
  ascendingWithin,
  packedRecords,
  rangeAt,
} from '../metadata-cache/string-table.ts';
import type { PackedStrings } from '../metadata-cache/string-table.ts';
import { DEPENDENCY_KINDS } from './primary-draft.ts';
import type { RpmComparison, RpmDependency, RpmRepoPackage } from './types.ts';

type ListField = (typeof DEPENDENCY_KINDS)[number] | 'files';

/** A package without its lists. */
export type PackageFields = Omit<RpmRepoPackage, ListField>;

/** Bump when the layout below changes. */
const PACKED_FORMAT = 1;
/** An absent optional string. */
const NONE = 0xffffffff;
/** In a provides entry: the package's own `name = evr`, not an entry of its provides. */
const SELF_PROVIDE = 0xffffffff;
/** Fields per dependency: name, flags, epoch, version, release, pre (0 absent, 1 no, 2 yes). */
const DEP_FIELDS = 6;
const LISTS = DEPENDENCY_KINDS.length;
const WHAT = 'the packed package table';

/** What the metadata cache keeps for one repository's packages. */
export interface PackedPackages extends PackedStrings {
  readonly format: number;
  readonly packages: readonly PackageFields[];
  /** For package p and list k, where its entries end in `deps`: index p × 8 + k. */
  readonly listEnds: Uint32Array;
  /** DEP_FIELDS numbers per dependency. */
  readonly deps: Uint32Array;
  /** For package p, where its files end in `files`. */
  readonly fileEnds: Uint32Array;
  /** String numbers of file paths. */
  readonly files: Uint32Array;
  /** Provides by capability name: pairs of package position and provides index or SELF_PROVIDE. */
  readonly provides: PackedLookup;
}

function fieldsOf(pkg: RpmRepoPackage): PackageFields {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pkg)) {
    if (key !== 'files' && !(DEPENDENCY_KINDS as readonly string[]).includes(key)) {
      fields[key] = value;
    }
  }
  return fields as unknown as PackageFields;
}

function providesByName(packages: readonly RpmRepoPackage[]): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  const add = (name: string, position: number, entry: number) => {
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [position, entry]);
    else list.push(position, entry);
  };
  packages.forEach((pkg, position) => {
    add(pkg.name, position, SELF_PROVIDE);
    pkg.provides.forEach((dep, entry) => add(dep.name, position, entry));
  });
  return byName;
}

/** The packed form of `packages`, to keep in the metadata cache. */
export function packPackages(packages: readonly RpmRepoPackage[]): PackedPackages {
  const table = new StringTableWriter();
  const optional = (text: string | undefined) => (text === undefined ? NONE : table.id(text));
  const listEnds = new Uint32Array(packages.length * LISTS);
  const fileEnds = new Uint32Array(packages.length);
  const deps: number[] = [];
  const files: number[] = [];
  packages.forEach((pkg, position) => {
    DEPENDENCY_KINDS.forEach((list, k) => {
      for (const dep of pkg[list]) {
        deps.push(
          table.id(dep.name),
          optional(dep.flags),
          optional(dep.epoch),
          optional(dep.version),
          optional(dep.release),
          dep.pre === undefined ? 0 : dep.pre ? 2 : 1,
        );
      }
      listEnds[position * LISTS + k] = deps.length / DEP_FIELDS;
    });
    for (const file of pkg.files) files.push(table.id(file));
    fileEnds[position] = files.length;
  });
  const provides = packLookup(providesByName(packages), 2, table);
  return {
    format: PACKED_FORMAT,
    packages: packages.map(fieldsOf),
    ...table.pack(),
    listEnds,
    deps: Uint32Array.from(deps),
    fileEnds,
    files: Uint32Array.from(files),
    provides,
  };
}

/**
 * Whether a value read back from the cache is a packed table this version wrote. The cache
 * file's digest has already vouched for its bytes, so this checks the shape, the lengths and
 * the ranges; string numbers inside dependency records are checked as they are decoded.
 */
export function isPackedPackages(value: unknown): value is PackedPackages {
  const packed = packedRecords(value, PACKED_FORMAT, 'packages');
  if (packed === undefined) return false;
  const { deps, files, listEnds, fileEnds, provides } = packed.fields;
  const { strings, records: packages } = packed;
  if (!(deps instanceof Uint32Array) || deps.length % DEP_FIELDS !== 0) return false;
  if (!allBelow(files, strings) || !isPackedLookup(provides, strings) || provides.stride !== 2) {
    return false;
  }
  const count = packages.length;
  if (!ascendingWithin(listEnds, deps.length / DEP_FIELDS) || listEnds.length !== count * LISTS) {
    return false;
  }
  if (!ascendingWithin(fileEnds, files.length) || fileEnds.length !== count) return false;
  for (let at = 0; at < provides.values.length; at += 2) {
    if ((provides.values[at] as number) >= count) return false;
  }
  return true;
}

/** One provides entry found by name. */
export interface PackedProvide {
  readonly position: number;
  /** The provides entry; absent for the package's own `name = evr`. */
  readonly dep?: RpmDependency;
}

/** Reads a packed table back, decoding strings and lists on first use. */
class PackedReader {
  private readonly strings: StringTableReader;

  constructor(private readonly packed: PackedPackages) {
    this.strings = new StringTableReader(packed, WHAT);
  }

  /** The dependency record at `record` of `deps`. */
  private dependency(record: number): RpmDependency {
    const deps = this.packed.deps;
    const at = record * DEP_FIELDS;
    const text = (id: number) => this.strings.string(id);
    const dep: { -readonly [K in keyof RpmDependency]: RpmDependency[K] } = {
      name: text(deps[at] as number),
    };
    const flags = deps[at + 1] as number;
    if (flags !== NONE) dep.flags = text(flags) as RpmComparison;
    const epoch = deps[at + 2] as number;
    if (epoch !== NONE) dep.epoch = text(epoch);
    const version = deps[at + 3] as number;
    if (version !== NONE) dep.version = text(version);
    const release = deps[at + 4] as number;
    if (release !== NONE) dep.release = text(release);
    const pre = deps[at + 5] as number;
    if (pre !== 0) dep.pre = pre === 2;
    return dep;
  }

  dependencies(position: number, list: number): RpmDependency[] {
    const [start, end] = rangeAt(this.packed.listEnds, position * LISTS + list);
    const result: RpmDependency[] = [];
    for (let record = start; record < end; record++) result.push(this.dependency(record));
    return result;
  }

  files(position: number): string[] {
    const [start, end] = rangeAt(this.packed.fileEnds, position);
    const result: string[] = [];
    for (let at = start; at < end; at++) {
      result.push(this.strings.string(this.packed.files[at] as number));
    }
    return result;
  }

  providers(name: string): PackedProvide[] | undefined {
    const { provides, listEnds } = this.packed;
    const range = findInLookup(provides, this.strings, name);
    if (range === undefined) return undefined;
    const found: PackedProvide[] = [];
    for (let at = range[0]; at < range[1]; at += 2) {
      const position = provides.values[at] as number;
      const entry = provides.values[at + 1] as number;
      if (entry === SELF_PROVIDE) {
        found.push({ position });
        continue;
      }
      const [start, end] = rangeAt(listEnds, position * LISTS);
      if (entry >= end - start) {
        throw new RangeError(`${WHAT} has no provides entry ${entry} for package ${position}`);
      }
      found.push({ position, dep: this.dependency(start + entry) });
    }
    return found;
  }
}

/** The provides lookup of package lists that were read from a packed table. */
const provideLookups = new WeakMap<
  readonly RpmRepoPackage[],
  { readonly count: number; lookup(name: string): PackedProvide[] | undefined }
>();

/**
 * For a package list that `unpackPackages` made, the provides by capability name without
 * reading every package's provides; undefined for any other list, or one changed since.
 */
export function packedProvidesOf(
  packages: readonly RpmRepoPackage[],
): ((name: string) => readonly PackedProvide[] | undefined) | undefined {
  const found = provideLookups.get(packages);
  return found?.count === packages.length ? found.lookup : undefined;
}

function lazyList<T>(decode: () => T[]): PropertyDescriptor {
  let value: T[] | undefined;
  return {
    enumerable: true,
    get: () => (value ??= decode()),
  };
}

/**
 * The packages of a packed table. Each is a plain object whose lists are enumerable getters
 * that decode on first read, so spreading, serializing and comparing see the whole package.
 */
export function unpackPackages(packed: PackedPackages): RpmRepoPackage[] {
  const reader = new PackedReader(packed);
  const packages = packed.packages.map((fields, position) => {
    const descriptors: PropertyDescriptorMap = {};
    DEPENDENCY_KINDS.forEach((list, k) => {
      descriptors[list] = lazyList(() => reader.dependencies(position, k));
    });
    descriptors['files'] = lazyList(() => reader.files(position));
    return Object.defineProperties({ ...fields }, descriptors) as RpmRepoPackage;
  });
  provideLookups.set(packages, {
    count: packages.length,
    lookup: (name) => reader.providers(name),
  });
  return packages;
}
