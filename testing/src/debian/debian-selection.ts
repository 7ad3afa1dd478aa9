import { relative } from 'node:path';
import type { Runner } from '@levitate/tools';
import { archive } from './debian-archives.ts';
import type { DebianArchive } from './debian-archives.ts';
import type { TreeEntry } from './entries.ts';
import { isLinkedElf, libraryClosure, libraryDirs } from './library-closure.ts';
import type { ResolvedLibrary } from './library-closure.ts';
import { treeEntries, under } from './tree-entries.ts';
import type { PathFilter } from './tree-entries.ts';

/** Which files of which Debian packages make one fixture package. */
export interface DebianSelection {
  /** Debian packages whose files it ships; the first one gives the version. */
  readonly debs: readonly string[];
  /**
   * Debian library packages fetched and searched first for the programs' libraries: those a
   * Debian 12 host may lack. The other libraries come from the host's installed packages.
   */
  readonly libraryDebs?: readonly string[];
  readonly keep: PathFilter;
  /** Single files taken from other Debian packages. */
  readonly borrowed?: readonly { readonly deb: string; readonly paths: readonly string[] }[];
  readonly extraEntries?: readonly TreeEntry[];
}

/** The files a selection takes, with the Debian packages they came from. */
export interface SelectedFiles {
  readonly entries: readonly TreeEntry[];
  /** The `debs`, first one first. */
  readonly shipped: readonly DebianArchive[];
  readonly borrowed: readonly DebianArchive[];
  /** The `libraryDebs`. */
  readonly searched: readonly DebianArchive[];
}

/** A library some program needs and its package does not ship. */
export interface NeededLibrary extends ResolvedLibrary {
  /** The fetched Debian package it was found in; on the host otherwise. */
  readonly archive?: DebianArchive;
}

function mergeEntries(lists: readonly (readonly TreeEntry[])[]): TreeEntry[] {
  const byPath = new Map<string, TreeEntry>();
  for (const entry of lists.flat()) {
    const known = byPath.get(entry.path);
    if (known !== undefined && !(known.type === 'directory' && entry.type === 'directory')) {
      throw new Error(`${entry.path} comes from two Debian packages`);
    }
    byPath.set(entry.path, known ?? entry);
  }
  return [...byPath.values()];
}

/** The entries of a selection: its Debian packages' files, borrowed files and extras. */
export async function selectDebianFiles(
  selection: DebianSelection,
  archives: ReadonlyMap<string, DebianArchive>,
): Promise<SelectedFiles> {
  const shipped = selection.debs.map((name) => archive(archives, name));
  const searched = (selection.libraryDebs ?? []).map((name) => archive(archives, name));
  const borrowedFrom = (selection.borrowed ?? []).map(({ deb, paths }) => ({
    deb: archive(archives, deb),
    keep: (path: string) => paths.some((wanted) => under(path, wanted)),
  }));
  const entries = mergeEntries([
    ...(await Promise.all(shipped.map((deb) => treeEntries(deb.tree, selection.keep)))),
    ...(await Promise.all(borrowedFrom.map(({ deb, keep }) => treeEntries(deb.tree, keep)))),
    selection.extraEntries ?? [],
  ]);
  return { entries, shipped, borrowed: borrowedFrom.map(({ deb }) => deb), searched };
}

/** The host files of the ELF programs and libraries among `entries`. */
export async function linkedElfFiles(entries: readonly TreeEntry[]): Promise<string[]> {
  const programs: string[] = [];
  for (const entry of entries) {
    if (entry.type === 'file' && !(entry.content instanceof Uint8Array)) {
      if (await isLinkedElf(entry.content.hostPath)) programs.push(entry.content.hostPath);
    }
  }
  return programs;
}

/**
 * Every library the selected programs load, transitively, that the selection does not ship
 * itself: from its `libraryDebs` (with that archive) or from the host. `extraDirs` are searched
 * after the trees' library folders: private folders such as systemd's, whose libraries load one
 * another through the RUNPATH of the programs alone.
 */
export async function neededLibraries(
  runner: Runner,
  selected: SelectedFiles,
  extraDirs: readonly string[] = [],
): Promise<NeededLibrary[]> {
  const programs = await linkedElfFiles(selected.entries);
  const trees = [...selected.shipped, ...selected.borrowed, ...selected.searched];
  const searchDirs = [...libraryDirs(trees.map((deb) => deb.tree)), ...extraDirs];
  const closure = await libraryClosure(runner, programs, searchDirs);
  const needs: NeededLibrary[] = [];
  for (const library of closure) {
    // Libraries the package ships itself are in its entries already.
    const from = trees.find((deb) => !relative(deb.tree, library.hostPath).startsWith('..'));
    if (from !== undefined && !selected.searched.includes(from)) {
      continue;
    }
    needs.push(from === undefined ? library : { ...library, archive: from });
  }
  return needs;
}

/** Every Debian package the selections need fetched. */
export function debianPackageNames(selections: readonly DebianSelection[]): string[] {
  return [
    ...new Set(
      selections.flatMap((selection) => [
        ...selection.debs,
        ...(selection.borrowed ?? []).map((borrowed) => borrowed.deb),
        ...(selection.libraryDebs ?? []),
      ]),
    ),
  ];
}

/** The Debian package a needed library comes from: its archive's, or its host file's owner. */
export function packageOfNeed(need: NeededLibrary, owners: ReadonlyMap<string, string>): string {
  const owner = need.archive?.package ?? owners.get(need.hostPath);
  if (owner === undefined) throw new Error(`no Debian package is known to own ${need.hostPath}`);
  return owner;
}
