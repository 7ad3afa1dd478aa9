/** RPM repository metadata as read from repodata (primary, filelists, comps). */

export type RpmComparison = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE';

/** One entry of a provides/requires/conflicts/obsoletes/... list. */
export interface RpmDependency {
  /** The capability name, or a rich dependency expression starting with `(`. */
  readonly name: string;
  readonly flags?: RpmComparison;
  readonly epoch?: string;
  readonly version?: string;
  readonly release?: string;
  /** `pre="1"`: needed by %pre/%post scripts. */
  readonly pre?: boolean;
  /**
   * The RPMSENSE_* bits as a package header stores them (scriptlet, trigger and rpmlib bits
   * included); absent for a dependency read from repository metadata.
   */
  readonly sense?: number;
}

export interface RpmEvr {
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

/** A package's dependency lists, kind by kind, as a header or repository metadata gives them. */
export interface RpmDependencies {
  readonly provides: readonly RpmDependency[];
  readonly requires: readonly RpmDependency[];
  readonly conflicts: readonly RpmDependency[];
  readonly obsoletes: readonly RpmDependency[];
  readonly recommends: readonly RpmDependency[];
  readonly suggests: readonly RpmDependency[];
  readonly supplements: readonly RpmDependency[];
  readonly enhances: readonly RpmDependency[];
}

export interface RpmRepoPackage extends RpmDependencies {
  /** Name of the repository the record came from. */
  readonly repository: string;
  readonly name: string;
  readonly arch: string;
  readonly evr: RpmEvr;
  /** The package file's checksum (the pkgid). */
  readonly checksum: { readonly type: string; readonly value: string };
  readonly summary: string;
  readonly packageSize: number;
  readonly installedSize: number;
  /** Location relative to the repository root (after xml:base, when present, it is absolute). */
  readonly location: string;
  readonly locationBase?: string;
  readonly buildTime: number;
  readonly sourceRpm?: string;
  readonly license?: string;
  readonly vendor?: string;
  /** Byte range of the main header inside the .rpm file. */
  readonly headerRange?: { readonly start: number; readonly end: number };
  /** Files listed in primary: the subset createrepo puts there (under /etc, bin folders, /usr/lib/sendmail). */
  readonly files: readonly string[];
}

export interface CompsGroup {
  readonly id: string;
  readonly name: string;
  readonly mandatory: readonly string[];
  readonly default: readonly string[];
  readonly optional: readonly string[];
  /** package -> the package whose presence makes it install. */
  readonly conditional: readonly { readonly name: string; readonly requires: string }[];
}

export interface CompsEnvironment {
  readonly id: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly optionalGroups: readonly string[];
}

export interface Comps {
  readonly groups: readonly CompsGroup[];
  readonly environments: readonly CompsEnvironment[];
}
