import type { ApkDependency } from './dependency.ts';

/** Where an index came from; copied into its records. */
export interface ApkIndexSource {
  /** The repository the index belongs to (a URL or a name). */
  readonly repository: string;
  /** The index file, for messages. */
  readonly file: string;
}

/**
 * One package of an APKINDEX, with every field apk-tools 2 writes (`APK_INDEX_FIELDS` says which
 * letter fills which field).
 */
export interface ApkIndexRecord {
  /** The repository the index came from, as the caller named it. */
  readonly repository: string;
  /** The index file, for messages. */
  readonly file: string;
  /** Line of the record's first field in the index text (1-based). */
  readonly line: number;
  /** `C:` identity hash of the package's control section, raw (`Q1` + base64 SHA-1). */
  readonly checksum?: string;
  /** `P:` */
  readonly name: string;
  /** `V:` */
  readonly version: string;
  /** `A:` */
  readonly arch?: string;
  /** `S:` size of the .apk file in bytes. */
  readonly size?: number;
  /** `I:` installed size in bytes. */
  readonly installedSize?: number;
  /** `T:` */
  readonly description?: string;
  /** `U:` */
  readonly url?: string;
  /** `L:` */
  readonly license?: string;
  /** `o:` the source package it was built from. */
  readonly origin?: string;
  /** `m:` */
  readonly maintainer?: string;
  /** `t:` build time, seconds since the epoch. */
  readonly buildTime?: number;
  /** `c:` the aports commit it was built from. */
  readonly commit?: string;
  /** `D:` dependencies and conflicts. */
  readonly depends: readonly ApkDependency[];
  /** `p:` provided names: `name=version`, or a bare `name` (a virtual provide). */
  readonly provides: readonly ApkDependency[];
  /** `i:` install_if: install this package once all of these are installed. */
  readonly installIf: readonly ApkDependency[];
  /** `r:` packages whose files this one may overwrite. */
  readonly replaces: readonly ApkDependency[];
  /** `k:` provider_priority, to choose among providers of a virtual name. */
  readonly providerPriority?: number;
  /** `q:` replaces_priority. */
  readonly replacesPriority?: number;
  /** Any other single-letter field, by letter: every value, raw, in file order. */
  readonly otherFields: Readonly<Record<string, readonly string[]>>;
}

/** `name-version`, as apk prints a package. */
export function apkPackageId(record: Pick<ApkIndexRecord, 'name' | 'version'>): string {
  return `${record.name}-${record.version}`;
}
