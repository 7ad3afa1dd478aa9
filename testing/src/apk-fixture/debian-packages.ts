import type { Runner } from '@levitate/tools';
import type { DebianArchive } from '../debian/debian-archives.ts';
import { neededLibraries, selectDebianFiles } from '../debian/debian-selection.ts';
import type { DebianSelection, NeededLibrary } from '../debian/debian-selection.ts';
import { alpineVersionOf } from './debian-version.ts';
import { libraryPackages } from './library-packages.ts';
import { NO_RELATIONS } from './package-spec.ts';
import type { ApkPackageSpec } from './package-spec.ts';

/** An Alpine-named package made from the files of Debian packages. */
export interface DebianRecipe extends DebianSelection {
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly license: string;
  readonly depends?: readonly string[];
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
  const selected = await selectDebianFiles(recipe, archives);
  const needs = await neededLibraries(runner, selected);
  const first = selected.shipped[0];
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
    entries: selected.entries,
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
