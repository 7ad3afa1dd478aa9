/** What a fixture package is made of, before it is written as an APK v2 file. */

export type ApkScriptPhase =
  | 'pre-install'
  | 'post-install'
  | 'pre-upgrade'
  | 'post-upgrade'
  | 'pre-deinstall'
  | 'post-deinstall'
  | 'trigger';

export interface ApkScript {
  readonly phase: ApkScriptPhase;
  readonly body: string;
}

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

export type ApkEntry = DirectoryEntry | SymlinkEntry | FileEntry;

export interface ApkPackageSpec {
  readonly name: string;
  /** An apk version: `1.36.1-r29`. */
  readonly version: string;
  readonly arch: string;
  readonly description: string;
  readonly url: string;
  readonly license: string;
  readonly origin: string;
  readonly maintainer?: string;
  readonly commit?: string;
  /** `builddate`, seconds since the epoch; the fixture epoch when absent. */
  readonly buildDate?: number;
  readonly depends: readonly string[];
  readonly provides: readonly string[];
  readonly replaces: readonly string[];
  readonly installIf: readonly string[];
  readonly providerPriority?: number;
  readonly replacesPriority?: number;
  /** Paths whose change fires the package's `trigger` script. */
  readonly triggers: readonly string[];
  /** Installed size as recorded; computed from the entries when absent. */
  readonly installedSize?: number;
  readonly scripts: readonly ApkScript[];
  readonly entries: readonly ApkEntry[];
  /** gzip level of the data member: large packages trade size for build time. */
  readonly compressionLevel?: number;
}

/** The fields of a spec that have sensible empty defaults. */
export const NO_RELATIONS = {
  depends: [],
  provides: [],
  replaces: [],
  installIf: [],
  triggers: [],
  scripts: [],
} as const;

/** A root-owned entry. */
export function rootOwned<T extends { readonly path: string; readonly mode: number }>(
  entry: T,
): T & { uid: 0; gid: 0; user: 'root'; group: 'root' } {
  return { ...entry, uid: 0, gid: 0, user: 'root', group: 'root' };
}

/** Root-owned directory entries for every parent folder of `entries` that they do not list. */
export function parentDirectories(entries: readonly ApkEntry[]): DirectoryEntry[] {
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
