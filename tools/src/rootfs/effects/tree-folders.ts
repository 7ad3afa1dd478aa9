import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import type { ImageNode } from '../nodes.ts';
import { rootMeta } from '../nodes.ts';
import { baseName, parentPath } from '../paths.ts';

/** Compares names by their UTF-8 bytes, as `ls` does in the C locale. */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The names in each folder of the tree, built once for an effect: the tree keeps one flat map
 * of paths, so listing a folder would otherwise walk every path.
 */
export class FolderIndex {
  readonly #names = new Map<string, string[]>();
  readonly #tree: ImageTree;

  constructor(tree: ImageTree) {
    this.#tree = tree;
    for (const path of tree.paths()) {
      if (path === '/') continue;
      const parent = parentPath(path);
      const names = this.#names.get(parent);
      if (names === undefined) this.#names.set(parent, [baseName(path)]);
      else names.push(baseName(path));
    }
    for (const names of this.#names.values()) names.sort(byBytes);
  }

  /**
   * The folder at `path` (symlinks on the way followed) and its names sorted by bytes, or
   * undefined when nothing or no folder is there.
   */
  list(path: string): { path: string; names: readonly string[] } | undefined {
    const found = this.#tree.lookup(path);
    if (found?.node.kind !== 'directory') return undefined;
    return { path: found.path, names: this.#names.get(found.path) ?? [] };
  }

  /** Records a node an effect added, so that later listings show it. */
  added(path: string): void {
    const names = this.#names.get(parentPath(path)) ?? [];
    const name = baseName(path);
    if (!names.includes(name)) {
      names.push(name);
      names.sort(byBytes);
    }
    this.#names.set(parentPath(path), names);
  }
}

export interface ConfigFile {
  readonly name: string;
  /** The path as found in the first folder that has the name. */
  readonly path: string;
}

/**
 * systemd's configuration folders: the `*suffix` files of all `dirs`, a name in an earlier
 * folder masking the same name in later ones, ordered by file name. A file that is a symlink to
 * /dev/null (or empty) masks the name too and is left out.
 */
export function configFiles(
  tree: ImageTree,
  index: FolderIndex,
  dirs: readonly string[],
  suffix: string,
): ConfigFile[] {
  const chosen = new Map<string, string>();
  const seen = new Set<string>();
  for (const dir of dirs) {
    const listed = index.list(dir);
    if (listed === undefined || seen.has(listed.path)) continue;
    seen.add(listed.path);
    for (const name of listed.names) {
      if (!name.endsWith(suffix) || chosen.has(name)) continue;
      chosen.set(name, `${dir}/${name}`);
    }
  }
  return [...chosen.entries()]
    .sort(([a], [b]) => byBytes(a, b))
    .filter(([, path]) => !isMask(tree, path))
    .map(([name, path]) => ({ name, path }));
}

/** A symlink to /dev/null, or an empty regular file: systemd's way of masking a name. */
export function isMask(tree: ImageTree, path: string): boolean {
  const node = tree.get(path);
  if (node?.kind === 'symlink') return node.target === '/dev/null';
  const file = tree.fileAt(path);
  return file !== undefined && file.node.content.size === 0;
}

export async function readText(tree: ImageTree, path: string): Promise<string | undefined> {
  const bytes = await tree.readFile(path);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

/**
 * Makes `path` a folder (0755 root:root) unless it is one; returns where it really is. A path
 * that cannot be a folder is an ImageBuildError with `code`.
 */
export function ensureFolder(
  tree: ImageTree,
  path: string,
  origin: string,
  code = `rootfs-${origin}`,
): string {
  const refuse = (message: string) =>
    new ImageBuildError(code, `cannot create ${path}: ${message}`);
  const placed = tree.place(path, origin, tree.epoch, refuse);
  const existing = tree.lookup(placed.path);
  if (existing === undefined) {
    tree.set(placed.path, {
      kind: 'directory',
      ...rootMeta(tree.epoch),
      origin,
      implicit: false,
    });
    return placed.path;
  }
  if (existing.node.kind !== 'directory') throw refuse(`${existing.path} is not a folder`);
  return existing.path;
}

export function symlinkNode(target: string, origin: string, mtime: number): ImageNode {
  return { kind: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime, xattrs: {}, origin, target };
}
