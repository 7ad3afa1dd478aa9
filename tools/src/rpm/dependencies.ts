/**
 * Dependencies: each kind is three parallel arrays in the main header, names, RPMSENSE_* flags
 * and versions (`[epoch:]version[-release]`, empty when unversioned). Rich dependencies are
 * names that start with `(`.
 */

import { splitEvr } from '../rpm-repo/dependency-text.ts';
import type { RpmComparison, RpmDependencies, RpmDependency } from '../rpm-repo/types.ts';
import { malformedRpm, type RpmContext } from './context.ts';
import type { HeaderBlob } from './header-blob.ts';
import { Tag } from './tags.ts';

/** RPMSENSE_* comparison bits. */
export const RpmSense = {
  LESS: 1 << 1,
  GREATER: 1 << 2,
  EQUAL: 1 << 3,
  /** Needed by a %pre/%post scriptlet (Requires(pre), Requires(post), ...). */
  SCRIPT_PRE: 1 << 9,
  SCRIPT_POST: 1 << 10,
  SCRIPT_PREUN: 1 << 11,
  SCRIPT_POSTUN: 1 << 12,
  /** rpm's own `rpmlib(...)` feature requirements. */
  RPMLIB: 1 << 24,
  TRIGGERPREIN: 1 << 25,
  TRIGGERIN: 1 << 16,
  TRIGGERUN: 1 << 17,
  TRIGGERPOSTUN: 1 << 18,
} as const;

export type { RpmDependencies };

export type RpmDependencyKind = keyof RpmDependencies;

const DEPENDENCY_TAGS: Readonly<Record<RpmDependencyKind, readonly [number, number, number]>> = {
  provides: [Tag.PROVIDENAME, Tag.PROVIDEFLAGS, Tag.PROVIDEVERSION],
  requires: [Tag.REQUIRENAME, Tag.REQUIREFLAGS, Tag.REQUIREVERSION],
  conflicts: [Tag.CONFLICTNAME, Tag.CONFLICTFLAGS, Tag.CONFLICTVERSION],
  obsoletes: [Tag.OBSOLETENAME, Tag.OBSOLETEFLAGS, Tag.OBSOLETEVERSION],
  recommends: [Tag.RECOMMENDNAME, Tag.RECOMMENDFLAGS, Tag.RECOMMENDVERSION],
  suggests: [Tag.SUGGESTNAME, Tag.SUGGESTFLAGS, Tag.SUGGESTVERSION],
  supplements: [Tag.SUPPLEMENTNAME, Tag.SUPPLEMENTFLAGS, Tag.SUPPLEMENTVERSION],
  enhances: [Tag.ENHANCENAME, Tag.ENHANCEFLAGS, Tag.ENHANCEVERSION],
};

/** The comparison the LESS, GREATER and EQUAL bits encode, or undefined for none. */
function comparisonOfSense(sense: number): RpmComparison | undefined {
  const less = (sense & RpmSense.LESS) !== 0;
  const greater = (sense & RpmSense.GREATER) !== 0;
  const equal = (sense & RpmSense.EQUAL) !== 0;
  if (less) return equal ? 'LE' : 'LT';
  if (greater) return equal ? 'GE' : 'GT';
  return equal ? 'EQ' : undefined;
}

/** One dependency as a header stores it: the name, its RPMSENSE_* bits and its version text. */
function headerDependency(name: string, sense: number, evr: string): RpmDependency {
  const flags = comparisonOfSense(sense);
  return {
    name,
    ...(flags === undefined ? {} : { flags }),
    ...(evr === '' ? {} : splitEvr(evr)),
    sense,
  };
}

/**
 * Reads three parallel arrays: names, and optional flags and versions of the same length.
 * Shared with triggers, which use the same layout.
 */
export function readDependencyArrays(
  header: HeaderBlob,
  tags: readonly [number, number, number],
  context: RpmContext,
): RpmDependency[] {
  const [nameTag, flagsTag, versionTag] = tags;
  const names = header.strings(nameTag) ?? [];
  const flags = header.numbers(flagsTag);
  const versions = header.strings(versionTag);
  if (
    (flags !== undefined && flags.length !== names.length) ||
    (versions !== undefined && versions.length !== names.length)
  ) {
    throw malformedRpm(
      context,
      `dependency tags ${nameTag}/${flagsTag}/${versionTag} have different lengths`,
    );
  }
  return names.map((name, index) =>
    headerDependency(name, flags?.[index] ?? 0, versions?.[index] ?? ''),
  );
}

export function readDependencies(header: HeaderBlob, context: RpmContext): RpmDependencies {
  const read = (kind: RpmDependencyKind) =>
    readDependencyArrays(header, DEPENDENCY_TAGS[kind], context);
  return {
    provides: read('provides'),
    requires: read('requires'),
    conflicts: read('conflicts'),
    obsoletes: read('obsoletes'),
    recommends: read('recommends'),
    suggests: read('suggests'),
    supplements: read('supplements'),
    enhances: read('enhances'),
  };
}
