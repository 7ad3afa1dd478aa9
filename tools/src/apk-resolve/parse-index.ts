/**
 * The text of an APKINDEX (the `APKINDEX` member of APKINDEX.tar.gz): records of `X:value`
 * lines, one field per line, separated by blank lines.
 */

import { PackageFormatError } from '../packages/errors.ts';
import { parseApkDependency } from './dependency.ts';
import type { ApkDependency } from './dependency.ts';
import { APK_INDEX_FIELD_BY_LETTER } from './index-fields.ts';
import type { ApkIndexRecord, ApkIndexSource } from './record.ts';
import { RecordDraft } from './record-draft.ts';

const COLON = 58;

/**
 * The version of what {@link parseApkIndexText} returns (with index-fields.ts, record.ts,
 * record-draft.ts and dependency.ts). Bump it whenever it gives another result for the same
 * text: a new or renamed field, other normalisation. Records parsed and kept by another version
 * are parsed again.
 */
export const APK_INDEX_PARSER_VERSION = 1;

/** A repeated `D:`, `p:`, `i:` or `r:` line adds to the list, as apk-tools 2 reads it. */
function joined(
  before: readonly ApkDependency[],
  more: readonly ApkDependency[],
): readonly ApkDependency[] {
  return before.length === 0 ? more : more.length === 0 ? before : [...before, ...more];
}

class IndexParser {
  readonly records: ApkIndexRecord[] = [];
  private draft: RecordDraft | undefined;
  /** Dependencies repeat a lot (`so:libc.musl-x86_64.so.1`): each word is parsed once. */
  private readonly parsed = new Map<string, ApkDependency>();
  /** Whole `D:` and `i:` values repeat too; their lists are shared (and frozen). */
  private readonly parsedLists = new Map<string, readonly ApkDependency[]>();

  constructor(private readonly source: ApkIndexSource) {}

  fail(line: number, message: string): never {
    throw new PackageFormatError({
      file: this.source.file,
      message: `line ${line}: ${message}`,
      hint: 'the APKINDEX is damaged or not an apk-tools 2 index; fetch it again',
    });
  }

  field(line: number, letter: string, value: string): void {
    this.draft ??= new RecordDraft(line);
    const draft = this.draft;
    const known = APK_INDEX_FIELD_BY_LETTER.get(letter);
    if (known === undefined) {
      const other = draft.otherFields[letter];
      if (other === undefined) {
        draft.otherFields[letter] = [value];
      } else {
        other.push(value);
      }
      return;
    }
    switch (known.kind) {
      case 'text':
        draft[known.field] = value;
        break;
      case 'number':
        draft[known.field] = this.number(line, letter, value);
        break;
      case 'dependencies':
        draft[known.field] = joined(draft[known.field], this.dependencies(line, letter, value));
        break;
    }
  }

  end(): void {
    const draft = this.draft;
    if (draft === undefined) {
      return;
    }
    this.draft = undefined;
    const { name, version } = draft;
    if (name === undefined || name === '') {
      this.fail(draft.line, 'record has no package name (P:)');
    }
    if (version === undefined || version === '') {
      this.fail(draft.line, `record for ${name} has no version (V:)`);
    }
    this.records.push(draft.toRecord(this.source, name, version));
  }

  private number(line: number, letter: string, value: string): number {
    let digits = value.length > 0;
    for (let i = 0; digits && i < value.length; i++) {
      const code = value.charCodeAt(i);
      digits = code >= 48 && code <= 57;
    }
    if (!digits) {
      this.fail(line, `field ${letter}: ${JSON.stringify(value)} is not a number`);
    }
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) {
      this.fail(line, `field ${letter}: ${value} is too large`);
    }
    return parsed;
  }

  private dependencies(line: number, letter: string, value: string): readonly ApkDependency[] {
    if (letter === 'p' || letter === 'r') {
      return this.dependencyList(line, letter, value);
    }
    const key = `${letter}${value}`;
    let deps = this.parsedLists.get(key);
    if (deps === undefined) {
      deps = Object.freeze(this.dependencyList(line, letter, value));
      this.parsedLists.set(key, deps);
    }
    return deps;
  }

  private dependencyList(line: number, letter: string, value: string): ApkDependency[] {
    const deps: ApkDependency[] = [];
    const words = value.includes('\t') ? value.split(/[ \t]/) : value.split(' ');
    for (const word of words) {
      if (word !== '') {
        deps.push(this.dependency(line, letter, word));
      }
    }
    if (letter === 'p') {
      const bad = deps.find((d) => d.conflict || (d.op !== undefined && d.op !== '='));
      if (bad !== undefined) {
        this.fail(line, `field p: a provide is "name" or "name=version", not ${value}`);
      }
    }
    return deps;
  }

  private dependency(line: number, letter: string, word: string): ApkDependency {
    let dep = this.parsed.get(word);
    if (dep === undefined) {
      try {
        dep = Object.freeze(parseApkDependency(word));
      } catch (err) {
        this.fail(line, `field ${letter}: ${(err as Error).message}`);
      }
      this.parsed.set(word, dep);
    }
    return dep;
  }
}

/**
 * Parses APKINDEX text into records, in file order, reading fields as apk-tools 2 does: in any
 * order, a repeated `D:`, `p:`, `i:` or `r:` line adding to the list and any other repeated
 * field keeping its last value (as `apk index` rewrites such a record). Every field apk-tools 2
 * writes is read; other single-letter fields are kept raw in `otherFields`, repeats included
 * (indexes written by apko carry the installed database's `F:`, `M:`, `R:`, `a:`, `Z:` lines).
 * Throws a `PackageFormatError` naming the file and line for a malformed line, a bad number or
 * dependency, or a record without `P:` or `V:`. A last record without a trailing blank line is
 * accepted, as apk does.
 */
export function parseApkIndexText(text: string, source: ApkIndexSource): ApkIndexRecord[] {
  const parser = new IndexParser(source);
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) {
      stop = text.length;
    }
    line++;
    if (stop === start) {
      parser.end();
    } else {
      if (stop - start < 2 || text.charCodeAt(start + 1) !== COLON) {
        parser.fail(line, `expected "X:value", found ${JSON.stringify(text.slice(start, stop))}`);
      }
      parser.field(line, text.charAt(start), text.slice(start + 2, stop));
    }
    start = stop + 1;
  }
  parser.end();
  return parser.records;
}
