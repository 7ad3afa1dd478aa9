import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';

/** One variant file, parsed with its source positions kept. */
export interface VariantSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
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

export async function readVariantSource(file: string): Promise<VariantSource> {
  const text = await readFile(file, 'utf8');
  return parseVariantSource(file, text);
}

export function parseVariantSource(file: string, text: string): VariantSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { file, doc, lines };
}

/** Syntax errors of the YAML itself, each with its position. */
export function syntaxProblems(source: VariantSource): SpecProblem[] {
  return [...source.doc.errors, ...source.doc.warnings].map((error) => {
    const pos = source.lines.linePos(error.pos[0]);
    return {
      file: source.file,
      line: pos.line,
      col: pos.col,
      path: '',
      message: error.message.split('\n')[0] ?? error.message,
    };
  });
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
