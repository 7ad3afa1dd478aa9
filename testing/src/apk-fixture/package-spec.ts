/** What a fixture package is made of, before it is written as an APK v2 file. */
import type { TreeEntry } from '../debian/entries.ts';

export { parentDirectories, rootOwned } from '../debian/entries.ts';
export type { DirectoryEntry, FileEntry, SymlinkEntry } from '../debian/entries.ts';

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

/** Package files: the entries every fixture format shares. */
export type ApkEntry = TreeEntry;

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
