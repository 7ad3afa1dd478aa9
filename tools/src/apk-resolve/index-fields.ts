/**
 * The single-letter fields of an APKINDEX record that apk-tools 2 knows, in the order it writes
 * them: the one table the index reader, the fixture writer and the test views are made from.
 * `whenEmpty` says what apk-tools itself writes; the test views follow it, while the fixture
 * writer writes every field its package has.
 */

import type { ApkDependency } from './dependency.ts';

/** How a value is read: raw text, a decimal number, or a space-separated dependency list. */
export type ApkIndexFieldKind = 'text' | 'number' | 'dependencies';

/**
 * What apk-tools 2 writes for a field without a value: `written`, the line with 0 or nothing
 * (`I:0`, `T:`); `left-out`, no line for 0, nothing or an empty list; `as-is`, the value it has
 * (no line when it has none).
 */
export type ApkIndexFieldWhenEmpty = 'written' | 'left-out' | 'as-is';

export interface ApkIndexField {
  readonly letter: string;
  /** The field of `ApkIndexRecord` that holds the value. */
  readonly field: string;
  readonly kind: ApkIndexFieldKind;
  readonly whenEmpty: ApkIndexFieldWhenEmpty;
}

/** The fields of an index record, in the order `apk index` writes them. */
export const APK_INDEX_RECORD_FIELDS = [
  { letter: 'C', field: 'checksum', kind: 'text', whenEmpty: 'as-is' },
  { letter: 'P', field: 'name', kind: 'text', whenEmpty: 'as-is' },
  { letter: 'V', field: 'version', kind: 'text', whenEmpty: 'as-is' },
  { letter: 'A', field: 'arch', kind: 'text', whenEmpty: 'as-is' },
  { letter: 'S', field: 'size', kind: 'number', whenEmpty: 'written' },
  { letter: 'I', field: 'installedSize', kind: 'number', whenEmpty: 'written' },
  { letter: 'T', field: 'description', kind: 'text', whenEmpty: 'written' },
  { letter: 'U', field: 'url', kind: 'text', whenEmpty: 'written' },
  { letter: 'L', field: 'license', kind: 'text', whenEmpty: 'written' },
  { letter: 'o', field: 'origin', kind: 'text', whenEmpty: 'left-out' },
  { letter: 'm', field: 'maintainer', kind: 'text', whenEmpty: 'left-out' },
  { letter: 't', field: 'buildTime', kind: 'number', whenEmpty: 'left-out' },
  { letter: 'c', field: 'commit', kind: 'text', whenEmpty: 'left-out' },
  { letter: 'k', field: 'providerPriority', kind: 'number', whenEmpty: 'left-out' },
  { letter: 'D', field: 'depends', kind: 'dependencies', whenEmpty: 'left-out' },
  { letter: 'p', field: 'provides', kind: 'dependencies', whenEmpty: 'left-out' },
  { letter: 'i', field: 'installIf', kind: 'dependencies', whenEmpty: 'left-out' },
] as const satisfies readonly ApkIndexField[];

/**
 * The fields apk-tools 2 writes only in the installed database (`lib/apk/db/installed`), right
 * after a package's index fields, in that order; an index may carry them too.
 */
export const APK_INSTALLED_ONLY_FIELDS = [
  { letter: 'r', field: 'replaces', kind: 'dependencies', whenEmpty: 'left-out' },
  { letter: 'q', field: 'replacesPriority', kind: 'number', whenEmpty: 'left-out' },
] as const satisfies readonly ApkIndexField[];

/** Every field apk-tools 2 reads into a package, in the order it writes them. */
export const APK_INDEX_FIELDS = [...APK_INDEX_RECORD_FIELDS, ...APK_INSTALLED_ONLY_FIELDS] as const;

/** One entry of {@link APK_INDEX_FIELDS}, with its literal letter, field name and kind. */
export type ApkIndexFieldEntry = (typeof APK_INDEX_FIELDS)[number];

/** One entry of {@link APK_INDEX_RECORD_FIELDS}. */
export type ApkIndexRecordFieldEntry = (typeof APK_INDEX_RECORD_FIELDS)[number];

/** The value of each kind, with dependency lists as `List`. */
export interface ApkIndexKindValue<List> {
  readonly text: string;
  readonly number: number;
  readonly dependencies: List;
}

/** Field values under their record names, each typed by its kind; any may be missing. */
export type ApkIndexFieldValues<List = readonly ApkDependency[]> = {
  readonly [Entry in ApkIndexFieldEntry as Entry['field']]?:
    ApkIndexKindValue<List>[Entry['kind']] | undefined;
};

/** The table by letter, for readers: a letter not in it is not a field apk-tools 2 reads. */
export const APK_INDEX_FIELD_BY_LETTER: ReadonlyMap<string, ApkIndexFieldEntry> = new Map(
  APK_INDEX_FIELDS.map((entry) => [entry.letter, entry]),
);
