/** What a fixture RPM is made of, before rpmbuild writes it from a generated .spec file. */
import type { RockyRepositoryName } from '@levitate/tools/workspace';
import type { TreeEntry } from '../debian/entries.ts';

/** The two repositories of a Rocky release tree. */
export type RpmRepositoryName = RockyRepositoryName;

/** Scriptlets as a .spec file names them; `body` is plain sh unless `program` is given. */
export type RpmScriptPhase = 'pre' | 'post' | 'preun' | 'postun' | 'posttrans';

export interface RpmScript {
  readonly phase: RpmScriptPhase;
  /** `%post -p <program>`: the program runs instead of sh; `body` is then empty. */
  readonly program?: string;
  readonly body: string;
}

/** rpm's file flags (`%config`, `%ghost`, ...) and attributes that the mode alone cannot say. */
export interface RpmFileFlags {
  readonly config?: 'noreplace' | 'replace';
  /** Listed but not in the payload: rpm creates nothing, owns the path. */
  readonly ghost?: boolean;
  readonly license?: boolean;
  /** `%caps(...)`: file capabilities in cap_from_text(3) form, `cap_setuid=ep`. */
  readonly caps?: string;
  /** `%verify(not ...)`: checks `rpm -V` skips. */
  readonly verifyNot?: readonly ('md5' | 'size' | 'mtime' | 'mode' | 'user' | 'group')[];
}

export type RpmEntry = TreeEntry & { readonly flags?: RpmFileFlags };

export interface RpmPackageSpec {
  readonly name: string;
  readonly epoch?: number;
  /** `[A-Za-z0-9._+~^]`, no dash. */
  readonly version: string;
  readonly release: string;
  readonly arch: 'x86_64' | 'noarch';
  readonly summary: string;
  readonly description: string;
  readonly license: string;
  readonly url: string;
  readonly repository: RpmRepositoryName;
  /** Package names or paths, with optional `>= 1.0` style versions. */
  readonly requires: readonly string[];
  readonly provides: readonly string[];
  readonly scripts: readonly RpmScript[];
  readonly entries: readonly RpmEntry[];
}

/** The fields of a spec that have sensible empty defaults. */
export const NO_RELATIONS = { requires: [], provides: [], scripts: [] } as const;

/** The `%{?dist}` of every fixture package. */
export const DIST = 'el10';

/** The file name rpmbuild gives the package (epoch is never in it). */
export function rpmFileName(spec: RpmPackageSpec): string {
  return `${spec.name}-${spec.version}-${spec.release}.${spec.arch}.rpm`;
}
