import { posix } from 'node:path';
import type { TreeEntry } from '../debian/entries.ts';
import { under } from '../debian/tree-entries.ts';

/** Top-level folders that Rocky's `filesystem` makes links into /usr, with their link targets. */
export const MERGED_USR_LINKS: readonly (readonly [string, string])[] = [
  ['/bin', 'usr/bin'],
  ['/sbin', 'usr/sbin'],
  ['/lib', 'usr/lib'],
  ['/lib64', 'usr/lib64'],
];

/** A path as a merged-/usr system stores it: `/sbin/ldconfig` → `/usr/sbin/ldconfig`. */
export function mergedUsrPath(path: string): string {
  for (const [link] of MERGED_USR_LINKS) {
    if (under(path, link)) return `/usr${path}`;
  }
  return path;
}

/** A link target, absolute or relative to the link's folder, rewritten for the link's new place. */
export function mergedUsrTarget(linkPath: string, target: string): string {
  const resolved = posix.resolve(posix.dirname(linkPath), target);
  const moved = mergedUsrPath(resolved);
  const newLink = mergedUsrPath(linkPath);
  if (target.startsWith('/')) {
    return moved;
  }
  if (moved === resolved && newLink === linkPath) {
    return target;
  }
  return posix.relative(posix.dirname(newLink), moved) || '.';
}

/**
 * Entries moved from /bin, /sbin, /lib and /lib64 into /usr (`/lib/x86_64-linux-gnu` becomes
 * `/usr/lib/x86_64-linux-gnu`), link targets following. The four top-level folders themselves
 * are dropped: `filesystem` ships them as links. A folder present in both spellings is kept
 * once; a file or link present in both is an error naming it.
 */
export function mergeUsr<T extends TreeEntry>(entries: readonly T[]): T[] {
  const byPath = new Map<string, T>();
  const originals = new Map<string, string>();
  for (const entry of entries) {
    if (MERGED_USR_LINKS.some(([link]) => entry.path === link)) continue;
    const path = mergedUsrPath(entry.path);
    const moved =
      entry.type === 'symlink'
        ? { ...entry, path, target: mergedUsrTarget(entry.path, entry.target) }
        : { ...entry, path };
    const known = byPath.get(path);
    if (known !== undefined) {
      if (known.type === 'directory' && moved.type === 'directory') continue;
      const other = originals.get(path) ?? path;
      throw new Error(`${other} and ${entry.path} are both ${path} in a merged /usr`);
    }
    byPath.set(path, moved);
    originals.set(path, entry.path);
  }
  return [...byPath.values()];
}
