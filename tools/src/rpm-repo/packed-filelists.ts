/**
 * A repository's complete file lists in the form the metadata cache keeps: each package's
 * identity as a record, its paths as string numbers, and the owners of each path in a packed
 * hash table. A resolve that needs the owner of one path looks it up without building a map
 * of the hundreds of thousands of paths a repository lists.
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
import type { RpmFilelist } from './filelists.ts';

/** A package of the file lists, without its paths. */
export type FilelistOwner = Omit<RpmFilelist, 'files'>;

/** Bump when the layout below changes. */
const PACKED_FORMAT = 1;

export interface PackedFilelists extends PackedStrings {
  readonly format: number;
  readonly owners: readonly FilelistOwner[];
  /** For list l, where its paths end in `files`. */
  readonly fileEnds: Uint32Array;
  /** String numbers of the paths, list after list. */
  readonly files: Uint32Array;
  /** The lists that hold each path, by path. */
  readonly byPath: PackedLookup;
}

/** The packed form of `lists`, to keep in the metadata cache. */
export function packFilelists(lists: readonly RpmFilelist[]): PackedFilelists {
  const table = new StringTableWriter();
  const fileEnds = new Uint32Array(lists.length);
  const files: number[] = [];
  const byPath = new Map<string, number[]>();
  lists.forEach((list, at) => {
    for (const path of list.files) {
      files.push(table.id(path));
      const holders = byPath.get(path);
      if (holders === undefined) byPath.set(path, [at]);
      else if (holders[holders.length - 1] !== at) holders.push(at);
    }
    fileEnds[at] = files.length;
  });
  return {
    format: PACKED_FORMAT,
    owners: lists.map(({ pkgid, name, arch, evr }) => ({ pkgid, name, arch, evr })),
    fileEnds,
    files: Uint32Array.from(files),
    byPath: packLookup(byPath, 1, table),
    ...table.pack(),
  };
}

/** Whether a value read back from the cache is packed file lists this version wrote. */
export function isPackedFilelists(value: unknown): value is PackedFilelists {
  const packed = packedRecords(value, PACKED_FORMAT, 'owners');
  if (packed === undefined) return false;
  const { fileEnds, files, byPath } = packed.fields;
  const { strings, records: owners } = packed;
  return (
    allBelow(files, strings) &&
    ascendingWithin(fileEnds, files.length) &&
    fileEnds.length === owners.length &&
    isPackedLookup(byPath, strings) &&
    byPath.stride === 1 &&
    allBelow(byPath.values, owners.length)
  );
}

/** Packed file lists read back: every list in order, or the owners of one path. */
export class FilelistReader {
  private readonly strings: StringTableReader;

  constructor(private readonly packed: PackedFilelists) {
    this.strings = new StringTableReader(packed, 'the packed file lists');
  }

  /** The packages whose lists hold `path`, in list order. */
  ownersOf(path: string): readonly FilelistOwner[] {
    const range = findInLookup(this.packed.byPath, this.strings, path);
    if (range === undefined) return [];
    const found: FilelistOwner[] = [];
    for (let at = range[0]; at < range[1]; at++) {
      found.push(this.packed.owners[this.packed.byPath.values[at] as number] as FilelistOwner);
    }
    return found;
  }

  /** Every list with its paths, as the file gave them. */
  *lists(): Generator<RpmFilelist> {
    const { owners, fileEnds, files } = this.packed;
    for (let at = 0; at < owners.length; at++) {
      const [start, end] = rangeAt(fileEnds, at);
      const paths: string[] = [];
      for (let file = start; file < end; file++) {
        paths.push(this.strings.string(files[file] as number));
      }
      yield { ...(owners[at] as FilelistOwner), files: paths };
    }
  }
}
