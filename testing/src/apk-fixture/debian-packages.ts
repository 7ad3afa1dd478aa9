import { relative } from 'node:path';
import type { Runner } from '@levitate/tools';
import { archive } from './debian-archives.ts';
import type { DebianArchive } from './debian-archives.ts';
import { alpineVersionOf } from './debian-version.ts';
import { isLinkedElf, libraryClosure, libraryDirs } from './library-closure.ts';
import { libraryPackages } from './library-packages.ts';
import type { NeededLibrary } from './library-packages.ts';
import { NO_RELATIONS } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { treeEntries, under } from './tree-entries.ts';
import type { PathFilter } from './tree-entries.ts';

/** An Alpine-named package made from the files of Debian packages. */
export interface DebianRecipe {
  readonly name: string;
  /** Debian packages whose files it ships; the first one gives the version. */
  readonly debs: readonly string[];
  /**
   * Debian library packages fetched and searched first for the programs' libraries: those a
   * Debian 12 host may lack. The other libraries come from the host's installed packages.
   */
  readonly libraryDebs?: readonly string[];
  readonly keep: PathFilter;
  readonly description: string;
  readonly url: string;
  readonly license: string;
  /** Single files taken from other Debian packages. */
  readonly borrowed?: readonly { readonly deb: string; readonly paths: readonly string[] }[];
  readonly depends?: readonly string[];
  readonly extraEntries?: readonly ApkEntry[];
}

function mergeEntries(lists: readonly (readonly ApkEntry[])[]): ApkEntry[] {
  const byPath = new Map<string, ApkEntry>();
  for (const entry of lists.flat()) {
    const known = byPath.get(entry.path);
    if (known !== undefined && !(known.type === 'directory' && entry.type === 'directory')) {
      throw new Error(`${entry.path} comes from two Debian packages`);
    }
    byPath.set(entry.path, known ?? entry);
  }
  return [...byPath.values()];
}

interface Consumer {
  readonly spec: Omit<ApkPackageSpec, 'depends'>;
  readonly depends: readonly string[];
  readonly needs: readonly NeededLibrary[];
}

async function consumerOf(
  runner: Runner,
  recipe: DebianRecipe,
  archives: ReadonlyMap<string, DebianArchive>,
  arch: string,
): Promise<Consumer> {
  const shipped = recipe.debs.map((name) => archive(archives, name));
  const searched = (recipe.libraryDebs ?? []).map((name) => archive(archives, name));
  const borrowed = (recipe.borrowed ?? []).map(({ deb, paths }) => ({
    deb: archive(archives, deb),
    keep: (path: string) => paths.some((wanted) => under(path, wanted)),
  }));
  const entries = mergeEntries([
    ...(await Promise.all(shipped.map((deb) => treeEntries(deb.tree, recipe.keep)))),
    ...(await Promise.all(borrowed.map(({ deb, keep }) => treeEntries(deb.tree, keep)))),
    recipe.extraEntries ?? [],
  ]);
  const programs: string[] = [];
  for (const entry of entries) {
    if (entry.type === 'file' && !(entry.content instanceof Uint8Array)) {
      if (await isLinkedElf(entry.content.hostPath)) programs.push(entry.content.hostPath);
    }
  }
  const trees = [...shipped, ...borrowed.map(({ deb }) => deb), ...searched];
  const closure = await libraryClosure(runner, programs, libraryDirs(trees.map((deb) => deb.tree)));
  const needs: NeededLibrary[] = [];
  for (const library of closure) {
    // Libraries the package ships itself are in its entries already.
    const from = trees.find((deb) => !relative(deb.tree, library.hostPath).startsWith('..'));
    if (from !== undefined && !searched.includes(from)) {
      continue;
    }
    needs.push(from === undefined ? library : { ...library, archive: from });
  }
  const first = shipped[0];
  if (first === undefined) {
    throw new Error(`${recipe.name}: a recipe needs at least one Debian package`);
  }
  const spec = {
    ...NO_RELATIONS,
    name: recipe.name,
    version: alpineVersionOf(first.version),
    arch,
    description: recipe.description,
    url: recipe.url,
    license: recipe.license,
    origin: recipe.name,
    entries,
  };
  return { spec, depends: recipe.depends ?? [], needs };
}

/**
 * The packages of `recipes`, depending on one `debian-<library>` package per Debian package
 * whose libraries their programs load (see {@link libraryPackages}).
 */
export async function debianPackages(
  runner: Runner,
  recipes: readonly DebianRecipe[],
  archives: ReadonlyMap<string, DebianArchive>,
  arch: string,
): Promise<ApkPackageSpec[]> {
  const consumers = await Promise.all(
    recipes.map((recipe) => consumerOf(runner, recipe, archives, arch)),
  );
  const libraries = await libraryPackages(
    runner,
    consumers.flatMap((consumer) => consumer.needs),
    arch,
  );
  const specs: ApkPackageSpec[] = consumers.map((consumer) => {
    const needed = consumer.needs.map(libraries.packageOf);
    return { ...consumer.spec, depends: [...new Set([...consumer.depends, ...needed])].sort() };
  });
  return [...specs, ...libraries.specs];
}
