import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RepositoryOverride, ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { stateDirOf } from './build-options.ts';
import { bundledCodeIdentity, rememberVariant } from './variant-cache.ts';

/**
 * Loads a variant for a command; problems with the variant's files become user errors. With a
 * cache folder, a bundled program keeps the loaded spec there and reads it back while the
 * variant's files stay as they were, so the YAML parser and the schema are not even loaded.
 */
export async function loadVariantForCli(
  ref: string,
  options: ResolveOptions,
  cacheDir?: string,
): Promise<VariantSpec> {
  const resolved =
    options.repositories === undefined
      ? options
      : { ...options, repositories: await expandIsoRepositories(options.repositories) };
  const code = cacheDir === undefined ? undefined : bundledCodeIdentity();
  if (cacheDir === undefined || code === undefined) return loadFresh(ref, resolved);
  return rememberVariant({ stateDir: stateDirOf(cacheDir), code }, ref, resolved, () =>
    loadFresh(ref, resolved),
  );
}

async function loadFresh(ref: string, options: ResolveOptions): Promise<VariantSpec> {
  const { KeyPinError, SecureBootSettingsError, SpecError, UnknownFeatureError, loadVariant } =
    await import('@levitate/distro-spec');
  try {
    return await loadVariant(ref, options);
  } catch (error) {
    if (
      error instanceof SpecError ||
      error instanceof UnknownFeatureError ||
      error instanceof KeyPinError ||
      error instanceof SecureBootSettingsError
    ) {
      throw new UserError(error.code, error.message, { hint: error.hint, cause: error });
    }
    throw error;
  }
}

/** What marks a folder of an image as a repository. */
const REPOSITORY_INDEX = 'repodata/repomd.xml';

/**
 * Repositories given as a whole ISO image (`--repo Rocky-10.0-x86_64-dvd1.iso`, no `#Tree`)
 * become one repository per top-level folder of the image that holds `repodata/repomd.xml`,
 * named after the folder in lower case (`baseos`, `appstream`). Everything else is unchanged.
 */
export async function expandIsoRepositories(
  repositories: readonly RepositoryOverride[],
): Promise<RepositoryOverride[]> {
  const expanded: RepositoryOverride[] = [];
  const names = new Set<string>();
  for (const repository of repositories) {
    const image = await wholeImage(repository.url);
    if (image === undefined) {
      expanded.push(repository);
      continue;
    }
    for (const tree of await repositoryTrees(image)) {
      const name = uniqueName(tree, names);
      const url = `${image.url}#${encodeURIComponent(tree)}`;
      expanded.push({ ...repository, url, name });
    }
  }
  return expanded;
}

/** The image file a location names, when it is a local regular file without a `#Tree`. */
async function wholeImage(location: string): Promise<{ file: string; url: string } | undefined> {
  if (location.includes('#')) return undefined;
  let file: string;
  if (location.startsWith('file://')) {
    file = fileURLToPath(location);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(location)) {
    return undefined;
  } else {
    file = resolve(location);
  }
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile() !== true) return undefined;
  return { file, url: pathToFileURL(file).href };
}

async function repositoryTrees(image: { file: string }): Promise<string[]> {
  const { IsoPathError, openIsoImage } = await import('../iso9660-reader/index.ts');
  const iso = await openIsoImage(image.file);
  try {
    const trees: string[] = [];
    for (const entry of await iso.list('')) {
      if (entry.type !== 'directory') continue;
      const index = await iso.stat(`${entry.name}/${REPOSITORY_INDEX}`).catch((error: unknown) => {
        if (error instanceof IsoPathError) return undefined;
        throw error;
      });
      if (index?.type === 'file') trees.push(entry.name);
    }
    if (trees.length === 0) {
      throw new UserError(
        'repo-iso-no-repository',
        `${image.file} holds no repository: no top-level folder of the image has ${REPOSITORY_INDEX}`,
        {
          hint: 'name the folder that holds repodata/ with --repo image.iso#Folder, or give an install DVD image (Rocky: BaseOS and AppStream)',
        },
      );
    }
    return trees;
  } finally {
    await iso.close();
  }
}

/** The folder's name in lower case, as a repository name, made unique among `taken`. */
function uniqueName(tree: string, taken: Set<string>): string {
  const base =
    tree
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'iso';
  let name = base;
  for (let index = 2; taken.has(name); index += 1) name = `${base}-${index}`;
  taken.add(name);
  return name;
}
