import { dirname } from 'node:path';
import type { Runner } from '@levitate/tools';
import { debianArchives } from '../debian/debian-archives.ts';
import type { DebianArchive, DebianCache } from '../debian/debian-archives.ts';
import { neededLibraries, packageOfNeed, selectDebianFiles } from '../debian/debian-selection.ts';
import type { NeededLibrary, SelectedFiles } from '../debian/debian-selection.ts';
import { hostOwners } from '../debian/library-closure.ts';
import { rockyLibraryName } from './library-names.ts';
import { mergeUsr } from './merged-usr.ts';
import type { RpmEntry } from './package-spec.ts';
import { rockyFiles } from './recipe.ts';
import type { RpmRecipe } from './recipe.ts';

/** A package made from Debian files, before its dependencies are known. */
export interface DebianDraft {
  readonly recipe: RpmRecipe;
  readonly selected: SelectedFiles;
  /** Merged-/usr entries with the recipe's overrides and hardlinks applied. */
  readonly entries: readonly RpmEntry[];
}

function applyOverrides(recipe: RpmRecipe, entries: RpmEntry[]): RpmEntry[] {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  for (const [path, override] of Object.entries(recipe.overrides ?? {})) {
    const entry = byPath.get(path);
    if (entry === undefined) throw new Error(`${recipe.name}: nothing to override at ${path}`);
    byPath.set(path, {
      ...entry,
      ...(override.mode === undefined ? {} : { mode: override.mode }),
      ...(override.user === undefined ? {} : { user: override.user }),
      ...(override.group === undefined ? {} : { group: override.group }),
      ...(override.flags === undefined ? {} : { flags: { ...entry.flags, ...override.flags } }),
    });
  }
  for (const [linkPath, filePath] of recipe.hardlinks ?? []) {
    const target = byPath.get(filePath);
    if (target?.type !== 'file') throw new Error(`${recipe.name}: no file ${filePath} to link to`);
    if (byPath.has(linkPath)) throw new Error(`${recipe.name}: ${linkPath} is shipped already`);
    byPath.set(linkPath, { ...target, path: linkPath });
  }
  return [...byPath.values()];
}

/** The files of one recipe, merged into /usr, with its overrides. */
export async function debianDraft(
  recipe: RpmRecipe,
  archives: ReadonlyMap<string, DebianArchive>,
): Promise<DebianDraft> {
  const selected = await selectDebianFiles(recipe, archives);
  if (selected.shipped.length === 0) {
    throw new Error(`${recipe.name}: a recipe needs at least one Debian package`);
  }
  const entries = applyOverrides(recipe, mergeUsr(selected.entries));
  return { recipe, selected, entries };
}

/** A library package's recipe: the whole Debian packages (no docs but licenses). */
export function libraryRecipe(name: string, debs: readonly string[]): RpmRecipe {
  return {
    name,
    debs,
    keep: rockyFiles,
    summary: `Libraries of Debian's ${debs.join(', ')}`,
    license: 'LicenseRef-Debian-copyright',
    url: `https://packages.debian.org/bookworm/${debs[0] ?? name}`,
  };
}

/** Library file names (`libc.so.6`, `ld-linux-x86-64.so.2`) of `drafts`, by the package shipping them. */
export function sharedObjectIndex(
  drafts: readonly { readonly name: string; readonly entries: readonly RpmEntry[] }[],
): Map<string, string> {
  const index = new Map<string, string>();
  for (const draft of drafts) {
    for (const entry of draft.entries) {
      if (entry.type === 'directory' || !entry.path.startsWith('/usr/lib')) continue;
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (/\.so(\.|$)/.test(name) && !index.has(name)) index.set(name, draft.name);
    }
  }
  return index;
}

/** Host folders of the shared objects a draft ships outside the usual library folders. */
function privateLibraryDirs(draft: DebianDraft): string[] {
  const dirs = new Set<string>();
  for (const entry of draft.entries) {
    if (entry.type !== 'file' || entry.content instanceof Uint8Array) continue;
    if (!/\.so(\.|$)/.test(entry.path) || /^\/usr\/lib(64)?\/[^/]+$/.test(entry.path)) continue;
    dirs.add(dirname(entry.content.hostPath));
  }
  return [...dirs].sort();
}

async function ownersOf(runner: Runner, needs: readonly NeededLibrary[]): Promise<Set<string>> {
  const onHost = needs.filter((need) => need.archive === undefined).map((need) => need.hostPath);
  const owners = await hostOwners(runner, [...new Set(onHost)]);
  return new Set(needs.map((need) => packageOfNeed(need, owners)));
}

/**
 * Adds a library package for every Debian package whose libraries some program loads and no
 * package ships, under its Rocky name, until the closure is complete: the new packages' own
 * programs and libraries are looked at in turn. A library neither the fetched packages nor the
 * host has fails the build (from `ldd`, naming the program).
 */
export async function withLibraryPackages(
  runner: Runner,
  cache: DebianCache,
  drafts: readonly DebianDraft[],
  log: (line: string) => void,
): Promise<DebianDraft[]> {
  let all = [...drafts];
  let unchecked = [...drafts];
  const libraryDebs = new Map<string, string[]>();
  const recipeNames = new Set(drafts.map((draft) => draft.recipe.name));
  while (unchecked.length > 0) {
    const index = sharedObjectIndex(
      all.map((draft) => ({ name: draft.recipe.name, entries: draft.entries })),
    );
    const missing: NeededLibrary[] = [];
    for (const draft of unchecked) {
      for (const need of await neededLibraries(runner, draft.selected, privateLibraryDirs(draft))) {
        if (!index.has(need.soname.slice(need.soname.lastIndexOf('/') + 1))) missing.push(need);
      }
    }
    const owners = [...(await ownersOf(runner, missing))].sort();
    if (owners.length === 0) break;
    log(`adding library packages for ${owners.join(', ')}`);
    const changed = new Set<string>();
    for (const owner of owners) {
      const name = rockyLibraryName(owner);
      if (recipeNames.has(name)) {
        throw new Error(
          `programs load libraries of Debian's ${owner}, which ${name} does not ship`,
        );
      }
      libraryDebs.set(name, [...(libraryDebs.get(name) ?? []), owner]);
      changed.add(name);
    }
    const archives = await debianArchives(
      cache,
      [...changed].flatMap((name) => libraryDebs.get(name) ?? []),
    );
    const added = await Promise.all(
      [...changed].map((name) =>
        debianDraft(libraryRecipe(name, libraryDebs.get(name) ?? []), archives),
      ),
    );
    all = [...all.filter((draft) => !changed.has(draft.recipe.name)), ...added];
    unchecked = added;
  }
  return all;
}
