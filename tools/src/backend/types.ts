import type { FamilyLayout } from './family-layout.ts';
import type { Repository, VariantSpec } from '@levitate/distro-spec';
import type { Reporter } from '../core/step.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { Digest, PackageScript, StreamedEntry } from '../packages/model.ts';
import type { DependencyGraph } from '../why/index.ts';

/** What a backend needs from the build: where to fetch, whom to trust, how to report. */
export interface BackendContext {
  readonly spec: VariantSpec;
  readonly fetcher: Fetcher;
  readonly reporter: Reporter;
  /** Folders searched for the variant's pinned keys. */
  readonly keyDirs: readonly string[];
  /** Signature checking; off only with --no-verify, which the caller announces loudly. */
  readonly verify: boolean;
  /**
   * Folder for the backend's own bookkeeping: APK control hash → file digest, and the parsed
   * indexes kept between runs (keyed by the digests of the verified index files).
   */
  readonly stateDir: string;
}

/** One package of a resolved set, in a form that does not depend on the package format. */
export interface ResolvedPackage {
  readonly name: string;
  /** The full version as the format writes it: `[epoch:]version-release` or `version-rN`. */
  readonly version: string;
  readonly arch: string;
  readonly repository: string;
  /** Size of the package file in bytes (0 when the index does not say). */
  readonly size: number;
  /**
   * Where the package file is: a path under its repository's URL (`Packages/b/bash-5.2.rpm`,
   * `bash-5.2.26-r0.apk`), or under `locationBase` when the index gives another base. With
   * the checksum, enough to fetch and check exactly this file (a lock file keeps both).
   */
  readonly location: string;
  readonly locationBase?: string;
  /** The repository's checksum of the package (RPM: the file; APK: the control section). */
  readonly checksum: { readonly type: string; readonly value: string };
  /** Why the package is in the set, e.g. `required by bash for libc.so.6()(64bit)`. */
  readonly reason: string;
  /** When the package was built (seconds since the epoch), when the index says. */
  readonly buildTime?: number;
  /** The licence as the package's metadata declares it. */
  readonly license?: string;
}

export interface Resolution {
  readonly family: 'rpm' | 'apk';
  /** In the order the format installs them (dependencies first where the format defines one). */
  readonly packages: readonly ResolvedPackage[];
  readonly warnings: readonly string[];
  /** Which package of the set needs which, by name, for `resolve --why`. */
  readonly graph?: DependencyGraph;
}

/** A package file that was fetched and verified (signature and digests). */
export interface VerifiedPackage {
  readonly package: ResolvedPackage;
  readonly file: string;
  /** SHA-256 of the package file. */
  readonly digest: Digest;
  /** Who signed it, or undefined when verification was turned off. */
  readonly signer: string | undefined;
  readonly scripts: readonly PackageScript[];
  /** Packages whose files this one may take over (APK `replaces`). */
  readonly replaces?: readonly string[];
  entries(): AsyncIterable<StreamedEntry>;
}

/** The loaded, verified indexes of a variant's repositories. */
export interface PackageUniverse {
  readonly repositories: readonly {
    readonly name: string;
    readonly url: string;
    readonly packages: number;
  }[];
  /** Throws a UserError (RpmResolveError, ApkResolveError) saying what is missing and who wanted it. */
  resolve(request: readonly string[]): Promise<Resolution>;
  fetch(resolution: Resolution): Promise<VerifiedPackage[]>;
}

/** One package format. The pipeline never asks which one it has. */
export interface PackageBackend extends FamilyLayout {
  readonly family: 'rpm' | 'apk';
  load(repositories: readonly Repository[], context: BackendContext): Promise<PackageUniverse>;
  /**
   * Metadata and entries of a package file, after checking its digests (and its signatures
   * against the keys in `keyDirs`, when given). A check that fails throws, unless `verify` is
   * off: then the failures are returned with the description.
   */
  inspect(file: string, options: InspectOptions): Promise<PackageInspection>;
}

export interface InspectOptions {
  /** Folders of trusted public keys; without any, signatures are listed but not checked. */
  readonly keyDirs: readonly string[];
  /** Off with `--no-verify`: failed checks are returned instead of thrown. */
  readonly verify: boolean;
}

export interface PackageInspection {
  /** JSON-ready and stable: the same file gives the same text. */
  readonly description: unknown;
  /** What did not verify (only with `verify` off), one message each. */
  readonly unverified: readonly string[];
}
