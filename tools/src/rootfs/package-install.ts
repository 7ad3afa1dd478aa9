import type { VerifiedPackage } from '../backend/types.ts';
import { UnsafeEntryError } from '../packages/errors.ts';
import type { PackageEntry } from '../packages/model.ts';
import type { Content, ContentSource } from './content-store.ts';
import { ContentStoreError } from './content-store.ts';
import { describeMeta, entryNode, sameContent } from './entry-nodes.ts';
import type { EntrySource } from './entry-nodes.ts';
import { checkListedFolder } from './folder-rules.ts';
import type { FolderRule } from './folder-rules.ts';
import type { ImageTree } from './image-tree.ts';
import type { ContentRef, ImageNode } from './nodes.ts';
import { describeKind } from './nodes.ts';
import { walkPath } from './path-walk.ts';

export interface AddPackageOptions {
  /**
   * APK `replaces`: true when package `later` may take over files that package `earlier`
   * installed with other content. Without it such a clash is refused.
   */
  readonly replaces?: (later: string, earlier: string) => boolean;
  /** What a folder the package does not list means; `created` when not given. See FolderRule. */
  readonly folders?: FolderRule;
  /**
   * The entries an earlier build installed from this same package file (see `onEntry`): they
   * are installed in their order with their contents claimed in the store, and the package is
   * read only to repair a content the store lost. The tree comes out as from the package.
   */
  readonly replay?: readonly InstalledEntry[];
  /** Told of every entry once it is in the tree, in order: what `replay` takes next time. */
  readonly onEntry?: (installed: InstalledEntry) => void;
}

/** An entry as a build installed it: the package's entry and, for a file, its stored content. */
export interface InstalledEntry {
  readonly entry: PackageEntry;
  readonly stored?: ContentRef;
}

/** A package entry whose file content may arrive in chunks, never held whole. */
export interface InstallEntry {
  readonly entry: PackageEntry;
  readonly content?: Content;
}

/** The entries to install: replayed from an earlier build, or read from the package. */
async function* entriesToInstall(
  pkg: InstallablePackage,
  replay: readonly InstalledEntry[] | undefined,
): AsyncIterable<InstallEntry & { readonly stored?: ContentRef }> {
  if (replay === undefined) yield* pkg.entries();
  else yield* replay;
}

/** What installing needs of a package: a VerifiedPackage, whose contents may also be streamed. */
export interface InstallablePackage extends Omit<VerifiedPackage, 'entries'> {
  entries(): AsyncIterable<InstallEntry>;
}

export interface PackageInstallSummary {
  readonly package: string;
  readonly entries: number;
  /** Regular files whose content went to the store. */
  readonly files: number;
  readonly bytes: number;
  readonly ghosts: number;
  readonly shared: number;
  readonly replaced: number;
  readonly mergedDirectories: number;
}

type Counters = { -readonly [K in keyof PackageInstallSummary]: PackageInstallSummary[K] };

interface Install {
  readonly tree: ImageTree;
  readonly pkg: InstallablePackage;
  readonly source: EntrySource;
  /** Folders the package has listed so far, as it spells them. */
  readonly listed: Set<string>;
  readonly options: AddPackageOptions;
  readonly counters: Counters;
  refuse(message: string, hint?: string): UnsafeEntryError;
}

function note(install: Install, rule: string, path: string, message: string): void {
  install.tree.note(rule, path, install.source.name, message);
}

/** A hard link's target: the regular file it names, through symlinks on the way. */
function hardlinkTarget(install: Install, entry: PackageEntry, target: string): string {
  const walk = walkPath(install.tree, target, { follow: false });
  const found = walk.ok ? walk.node : undefined;
  if (!walk.ok || (found?.kind !== 'file' && found?.kind !== 'hardlink')) {
    throw install.refuse(
      `hard link ${entry.path} points at ${target}, which is not a regular file in the image`,
    );
  }
  return found.kind === 'hardlink' ? found.target : walk.path;
}

function addDirectory(install: Install, path: string, node: ImageNode, existing: ImageNode): void {
  const { tree, source } = install;
  let target = existing;
  let where = path;
  if (existing.kind === 'symlink') {
    const found = tree.lookup(path);
    if (found?.node.kind !== 'directory') {
      throw install.refuse(
        `${source.label} installs the directory ${path}, where ${existing.origin} installed a symlink to ${existing.target}, which is not a directory`,
      );
    }
    note(
      install,
      'directory-through-symlink',
      path,
      `directory ${path} merged into ${found.path} (${path} → ${existing.target})`,
    );
    target = found.node;
    where = found.path;
  }
  if (target.kind !== 'directory') {
    throw install.refuse(
      `${source.label} installs the directory ${path}, where ${target.origin} installed a ${describeKind(target.kind)}`,
    );
  }
  if (target.implicit) {
    tree.set(where, node);
    return;
  }
  install.counters.mergedDirectories += 1;
  const theirs = describeMeta(node);
  const kept = describeMeta(target);
  note(
    install,
    'merged-directory',
    where,
    `directory ${where} already installed by ${target.origin}: kept its metadata (${kept})${theirs === kept ? '' : `, not ${theirs}`}`,
  );
}

function addLeaf(install: Install, path: string, node: ImageNode, existing: ImageNode): void {
  const { tree, source, options } = install;
  if (existing.kind === 'directory') {
    throw install.refuse(
      `${source.label} installs a ${describeKind(node.kind)} at ${path}, where ${existing.origin} installed a directory`,
    );
  }
  if (existing.origin === source.name) {
    throw install.refuse(`${path} appears twice in ${source.label}`);
  }
  if (sameContent(existing, node)) {
    install.counters.shared += 1;
    note(
      install,
      'shared',
      path,
      `${path} is identical in ${existing.origin} and ${source.name}: shared (${describeMeta(existing)} kept)`,
    );
    return;
  }
  if (options.replaces?.(source.name, existing.origin) === true) {
    install.counters.replaced += 1;
    tree.set(path, node);
    note(install, 'replaced', path, `${source.name} replaces ${existing.origin}: its ${path} wins`);
    return;
  }
  throw install.refuse(
    `${path} of ${source.label} conflicts with the ${describeKind(existing.kind)} that ${existing.origin} installed there (different content)`,
    `${source.name} and ${existing.origin} cannot both own ${path}: drop one of them, or (APK) let one declare that it replaces the other`,
  );
}

/** The package read again for one file's content, should its copy in the store be damaged. */
function reextract(install: Install, path: string): ContentSource {
  const { pkg, source } = install;
  const describe = `${source.label} (${source.file}), ${path}`;
  return {
    describe,
    async *content() {
      for await (const item of pkg.entries()) {
        if (item.entry.path !== path || item.content === undefined) continue;
        if (item.content instanceof Uint8Array) yield item.content;
        else yield* item.content;
        return;
      }
      throw new ContentStoreError(`${describe} is no longer in the package`, {
        hint: `remove ${source.file} from the cache and build again`,
      });
    },
  };
}

async function addEntry(
  install: Install,
  entry: PackageEntry,
  content: Content | undefined,
  stored: ContentRef | undefined,
) {
  const { tree, source, counters, options } = install;
  if (options.folders === 'listed') {
    const problem = checkListedFolder(tree, entry, install.listed, source.label);
    if (problem !== undefined) throw install.refuse(problem.message, problem.hint);
  }
  const made = await entryNode(
    entry,
    content,
    source,
    tree.store,
    entry.type === 'file' ? reextract(install, entry.path) : undefined,
    stored,
  );
  for (const name of made.dropped) {
    note(
      install,
      'dropped-xattr',
      entry.path,
      `extended attribute ${name} of ${entry.path} cannot be stored in the image`,
    );
  }
  let node = made.node;
  if (node.kind === 'file') {
    counters.files += 1;
    counters.bytes += node.content.size;
  }
  const { path } =
    entry.path === '/'
      ? { path: '/' }
      : tree.place(entry.path, source.name, entry.mtime, (m) => install.refuse(m), {
          createParents: options.folders !== 'listed',
        });
  if (entry.type === 'directory') install.listed.add(entry.path);
  if (node.kind === 'hardlink')
    node = { ...node, target: hardlinkTarget(install, entry, node.target) };
  const existing = tree.get(path);
  if (existing === undefined) tree.set(path, node);
  else if (node.kind === 'directory') addDirectory(install, path, node, existing);
  else addLeaf(install, path, node, existing);
  options.onEntry?.(made.node.kind === 'file' ? { entry, stored: made.node.content } : { entry });
}

/**
 * Streams a package's entries into the tree, in the order the package lists them. The rules
 * follow apk and rpm: missing parents are created (rpm); directories merge (first metadata wins);
 * identical files are shared; different content is refused unless `replaces` allows it; RPM
 * %ghost entries are not created; symlinks on the way are followed (merged /usr), and nothing
 * may resolve above the image root; with the `listed` folder rule (apk), an entry whose folder
 * the package does not list is refused instead. Each rule that fires leaves a note on the tree.
 * File contents go to the store as they arrive, in chunks when the package streams them.
 */
export async function installPackage(
  tree: ImageTree,
  pkg: InstallablePackage,
  options: AddPackageOptions,
): Promise<PackageInstallSummary> {
  const source: EntrySource = {
    name: pkg.package.name,
    label: `${pkg.package.name}-${pkg.package.version}`,
    file: pkg.file,
  };
  const counters: Counters = {
    package: source.label,
    entries: 0,
    files: 0,
    bytes: 0,
    ghosts: 0,
    shared: 0,
    replaced: 0,
    mergedDirectories: 0,
  };
  const install: Install = {
    tree,
    pkg,
    source,
    listed: new Set(),
    options,
    counters,
    refuse: (message, hint) =>
      new UnsafeEntryError({
        package: source.label,
        file: source.file,
        message,
        ...(hint === undefined ? {} : { hint }),
      }),
  };
  for await (const { entry, content, stored } of entriesToInstall(pkg, options.replay)) {
    counters.entries += 1;
    if (entry.flags.includes('ghost')) {
      counters.ghosts += 1;
      tree.note(
        'ghost',
        entry.path,
        source.name,
        `${entry.path} is a %ghost of ${source.label}: not created`,
      );
      options.onEntry?.({ entry });
      continue;
    }
    await addEntry(install, entry, content, stored);
  }
  return { ...counters };
}
