/** Files of a package as every fixture format describes them, before they are written. */

interface EntryBase {
  /** Absolute path inside the installed system: `/usr/bin/smartctl`. */
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly user: string;
  readonly group: string;
}

export interface DirectoryEntry extends EntryBase {
  readonly type: 'directory';
}

export interface SymlinkEntry extends EntryBase {
  readonly type: 'symlink';
  readonly target: string;
}

/** A regular file, its content either in memory or read from a host file when written. */
export interface FileEntry extends EntryBase {
  readonly type: 'file';
  readonly content: Uint8Array | { readonly hostPath: string };
}

export type TreeEntry = DirectoryEntry | SymlinkEntry | FileEntry;

/** A root-owned entry. */
export function rootOwned<T extends { readonly path: string; readonly mode: number }>(
  entry: T,
): T & { uid: 0; gid: 0; user: 'root'; group: 'root' } {
  return { ...entry, uid: 0, gid: 0, user: 'root', group: 'root' };
}

/** Root-owned directory entries for every parent folder of `entries` that they do not list. */
export function parentDirectories(entries: readonly TreeEntry[]): DirectoryEntry[] {
  const known = new Set(entries.filter((e) => e.type === 'directory').map((e) => e.path));
  const missing = new Set<string>();
  for (const entry of entries) {
    let dir = entry.path.slice(0, entry.path.lastIndexOf('/'));
    while (dir !== '' && !known.has(dir) && !missing.has(dir)) {
      missing.add(dir);
      dir = dir.slice(0, dir.lastIndexOf('/'));
    }
  }
  return [...missing].map((path) => rootOwned({ type: 'directory' as const, path, mode: 0o755 }));
}
