import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { duplicateKeyAt, offendingAlias } from './yaml-nodes.ts';

/** One variant file, parsed with its source positions kept. */
export interface VariantSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The document as plain data; undefined when it cannot be turned into data (a problem). */
  readonly data: unknown;
  /** Why the document could not be turned into data, at the alias to blame. */
  readonly dataProblem?: SpecProblem;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A problem found in a variant file, located at file:line:col and at a path in the schema. */
export interface SpecProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: string;
  readonly message: string;
}

export function parseVariantSource(file: string, text: string): VariantSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  try {
    return { file, doc, lines, data: doc.toJS() as unknown };
  } catch (error) {
    return { file, doc, lines, data: undefined, dataProblem: dataProblem(file, doc, lines, error) };
  }
}

/** The library refuses an alias bomb or an alias without anchor, without saying where. */
function dataProblem(file: string, doc: Document, lines: LineCounter, error: unknown): SpecProblem {
  const reason = error instanceof Error ? error.message : String(error);
  const blamed = offendingAlias(doc);
  const pos = lines.linePos(blamed?.alias.range?.[0] ?? 0);
  const alias = blamed === undefined ? '' : `*${blamed.alias.source}`;
  let message: string;
  if (blamed === undefined) {
    message = `cannot read the document: ${reason}`;
  } else if (blamed.unresolved) {
    message = `alias ${alias} has no anchor &${blamed.alias.source} before it`;
  } else {
    message = `alias ${alias} expands too far: aliases of aliases multiply into too many values (a "billion laughs" alias bomb); write the values out instead`;
  }
  return { file, line: pos.line, col: pos.col, path: '', message };
}

/** Syntax errors of the YAML itself, each with its position, then a document that is no data. */
export function syntaxProblems(source: VariantSource): SpecProblem[] {
  const problems = [...source.doc.errors, ...source.doc.warnings].map((error) =>
    syntaxProblem(source, error),
  );
  if (source.dataProblem !== undefined && problems.length === 0) problems.push(source.dataProblem);
  return problems;
}

function syntaxProblem(source: VariantSource, error: YAMLError): SpecProblem {
  const pos = source.lines.linePos(error.pos[0]);
  const where = { file: source.file, line: pos.line, col: pos.col };
  const duplicate =
    error.code === 'DUPLICATE_KEY' ? duplicateKeyAt(source.doc, error.pos[0]) : undefined;
  if (duplicate !== undefined) {
    const first = source.lines.linePos(duplicate.firstAt);
    return {
      ...where,
      path: formatPath(duplicate.path),
      message: `key "${duplicate.key}" is written twice in this mapping (first at line ${first.line}, col ${first.col}); keep one`,
    };
  }
  return { ...where, path: '', message: error.message.split('\n')[0] ?? error.message };
}

export type PathSegment = string | number;

/** `repositories[0].url` style rendering of a schema path. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Where `path` is written in the file: the node itself when present, else the key of the
 * deepest ancestor that is present (so a missing field points at the mapping that lacks it).
 * With `key`, points at that key inside the mapping at `path` (for unknown keys).
 */
export function locate(
  source: VariantSource,
  path: readonly PathSegment[],
  key?: string,
): Position | undefined {
  let node: unknown = source.doc.contents;
  let anchor: Node | undefined = isNodeWithRange(node) ? node : undefined;
  const segments: PathSegment[] = key === undefined ? [...path] : [...path, key];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      const pairKey = pair.key as Node;
      anchor = key !== undefined && last ? pairKey : ((pair.value as Node | null) ?? pairKey);
      if (!isNodeWithRange(anchor)) anchor = pairKey;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNodeWithRange(item)) break;
      anchor = item;
      node = item;
    } else {
      break;
    }
  }
  if (!anchor?.range) return undefined;
  return source.lines.linePos(anchor.range[0]);
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
