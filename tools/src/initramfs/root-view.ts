/**
 * A read-only view of an image's root filesystem. The initramfs builder reads everything it
 * copies through this view, so it can never pick up a file from the build host by accident.
 *
 * Paths are absolute inside the root. Symbolic links are resolved inside the root: an absolute
 * link target starts again at the root, and `..` never climbs above it.
 */

import { UserError } from '../core/errors.ts';

export type RootEntryType =
  'file' | 'directory' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket';

export interface RootStat {
  readonly type: RootEntryType;
  /** Permission bits (0o7777). */
  readonly mode: number;
}

export interface RootView {
  /** The content of a regular file, following symbolic links; undefined when there is none. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** The target of the symbolic link at `path` itself; undefined when it is not a link. */
  readlink(path: string): Promise<string | undefined>;
  /** What is at `path` itself (a final link is not followed); undefined when nothing is. */
  stat(path: string): Promise<RootStat | undefined>;
  /** The names in a directory, sorted, following symbolic links; empty when it is none. */
  list(dir: string): Promise<string[]>;
}

/** Primitive lookups on paths whose parents hold no symbolic links. */
export interface PathLookup {
  type(path: string): Promise<RootEntryType | undefined>;
  link(path: string): Promise<string | undefined>;
}

const MAX_LINK_HOPS = 40;

/** Splits an absolute or relative path into its components, dropping empty ones and `.`. */
export function pathParts(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/** `/a/b/../c` → `/a/c`, lexically (no link is looked at). */
export function normalizeRootPath(path: string): string {
  const out: string[] = [];
  for (const part of pathParts(path)) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function parentOf(path: string): string {
  return normalizeRootPath(`${normalizeRootPath(path)}/..`);
}

export function baseName(path: string): string {
  return pathParts(path).at(-1) ?? '';
}

export function joinRootPath(dir: string, name: string): string {
  return normalizeRootPath(name.startsWith('/') ? name : `${dir}/${name}`);
}

/**
 * Resolves `path` component by component, following links inside the root. The final
 * component is followed only when `followLast` is set. Returns the path without links (its
 * last component may still be a link, or may not exist), or undefined when a parent is
 * missing or not a directory.
 */
export async function walkRootPath(
  lookup: PathLookup,
  path: string,
  followLast: boolean,
): Promise<string | undefined> {
  let current: string[] = [];
  let pending = pathParts(path);
  let hops = 0;
  while (pending.length > 0) {
    const [part, ...rest] = pending;
    pending = rest;
    if (part === undefined) break;
    if (part === '..') {
      current.pop();
      continue;
    }
    const candidate = `/${[...current, part].join('/')}`;
    const last = pending.length === 0;
    const type = await lookup.type(candidate);
    if (type === undefined) return last ? candidate : undefined;
    if (type === 'symlink' && (!last || followLast)) {
      hops += 1;
      if (hops > MAX_LINK_HOPS) throw new Error(`too many symbolic links resolving ${path}`);
      const target = linkTarget(await lookup.link(candidate), candidate);
      if (target.startsWith('/')) current = [];
      pending = [...pathParts(target), ...pending];
      continue;
    }
    if (!last && type !== 'directory') return undefined;
    current.push(part);
  }
  return `/${current.join('/')}`;
}

/**
 * The target of a link just read, after its type said it was one: nothing there means the root
 * changed under the reader, which is said as such.
 */
export function linkTarget(target: string | undefined, path: string): string {
  if (target !== undefined) return target;
  throw new UserError('root-changed', `${path} stopped being a symbolic link while it was read`, {
    hint: 'nothing may change the root while it is read; run the command again',
  });
}

/** The path of `path` with every link resolved, or undefined when it does not exist. */
export async function realPathInRoot(root: RootView, path: string): Promise<string | undefined> {
  const resolved = await walkRootPath(viewLookup(root), path, true);
  if (resolved === undefined) return undefined;
  return (await root.stat(resolved)) === undefined ? undefined : resolved;
}

/** Path lookups through a view (its stat does not follow a final link). */
export function viewLookup(root: RootView): PathLookup {
  return {
    type: async (path) => (await root.stat(path))?.type,
    link: (path) => root.readlink(path),
  };
}
