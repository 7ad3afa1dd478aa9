import { formatApkDependency } from '../dependency.ts';
import { APK_INDEX_RECORD_FIELDS } from '../index-fields.ts';
import type {
  ApkIndexFieldValues,
  ApkIndexKindValue,
  ApkIndexRecordFieldEntry,
} from '../index-fields.ts';
import type { ApkIndexRecord } from '../record.ts';

/** A view's value: a list is always there; a field apk may leave out may be `undefined`. */
type ViewValue<Entry extends ApkIndexRecordFieldEntry> = Entry['kind'] extends 'dependencies'
  ? readonly string[]
  : | ApkIndexKindValue<readonly string[]>[Entry['kind']]
    | (Entry['whenEmpty'] extends 'written' ? never : undefined);

/**
 * A package as `apk index` (apk-tools 2) writes its record, by letter: the fields it keeps, with
 * its defaults (`I:0`, empty `T:`, `U:`, `L:`) and without the ones it leaves out when zero or
 * unset (`t:`, `k:`, `o:`, `m:`, `c:`). Two records apk would write alike have equal views.
 */
export type ApkIndexView = {
  readonly [Entry in ApkIndexRecordFieldEntry as Entry['letter']]: ViewValue<Entry>;
};

/** The fields of a record under their record names, with dependencies as apk writes them. */
export type ApkIndexViewInput = ApkIndexFieldValues<readonly string[]>;

type InputValue = string | number | readonly string[] | undefined;

function viewValue(entry: ApkIndexRecordFieldEntry, value: InputValue): InputValue {
  if (entry.kind === 'dependencies') {
    return value ?? [];
  }
  switch (entry.whenEmpty) {
    case 'written':
      return value ?? (entry.kind === 'number' ? 0 : '');
    case 'left-out':
      return value === 0 || value === '' ? undefined : value;
    case 'as-is':
      return value;
  }
}

function view(valueOf: (entry: ApkIndexRecordFieldEntry) => InputValue): ApkIndexView {
  const entries = APK_INDEX_RECORD_FIELDS.map((entry) => [
    entry.letter,
    viewValue(entry, valueOf(entry)),
  ]);
  return Object.fromEntries(entries) as ApkIndexView;
}

export function apkIndexView(input: ApkIndexViewInput): ApkIndexView {
  return view((entry) => input[entry.field]);
}

export function viewOfRecord(record: ApkIndexRecord): ApkIndexView {
  return view((entry) =>
    entry.kind === 'dependencies'
      ? record[entry.field].map(formatApkDependency)
      : record[entry.field],
  );
}
