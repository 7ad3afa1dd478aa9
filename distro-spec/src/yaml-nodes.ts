import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Document, Node, Pair } from 'yaml';
import type { PathSegment } from './source.ts';

/** The limit the yaml library applies when it turns a document into data (its default). */
const MAX_ALIAS_COUNT = 100;

/** Every alias of the document in document order, with the anchored node it stands for. */
function aliasesOf(doc: Document): { alias: Alias; source: Node | undefined }[] {
  const anchored = new Map<string, Node>();
  const out: { alias: Alias; source: Node | undefined }[] = [];
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        out.push({ alias: node, source: anchored.get(node.source) });
      } else if (node.anchor !== undefined) {
        anchored.set(node.anchor, node);
      }
    },
  });
  return out;
}

/**
 * The alias at which turning the document into data stops: one whose anchor was never set, or
 * the one that trips the library's guard against alias bombs ("billion laughs": aliases of
 * aliases that multiply into millions of values). The guard is replayed in the order the
 * library resolves aliases, document order; undefined when no alias is to blame.
 */
export function offendingAlias(doc: Document): { alias: Alias; unresolved: boolean } | undefined {
  const aliases = aliasesOf(doc);
  const unresolved = aliases.find((entry) => entry.source === undefined);
  if (unresolved !== undefined) return { alias: unresolved.alias, unresolved: true };
  const sourceOf = new Map(aliases.map((entry) => [entry.alias, entry.source]));
  const counts = new Map<Node, { count: number; aliasCount: number }>();
  const aliasCount = (node: unknown): number => {
    if (isAlias(node)) {
      const source = sourceOf.get(node);
      const data = source === undefined ? undefined : counts.get(source);
      return data === undefined ? 0 : data.count * data.aliasCount;
    }
    if (isCollection(node)) {
      return node.items.reduce<number>(
        (most, item: unknown) => Math.max(most, aliasCount(item)),
        0,
      );
    }
    if (isPair(node)) return Math.max(aliasCount(node.key), aliasCount(node.value));
    return 1;
  };
  for (const { alias, source } of aliases) {
    if (source === undefined) continue;
    const data = counts.get(source) ?? { count: 1, aliasCount: 0 };
    counts.set(source, data);
    data.count += 1;
    if (data.aliasCount === 0) data.aliasCount = aliasCount(source);
    if (data.count * data.aliasCount > MAX_ALIAS_COUNT) return { alias, unresolved: false };
  }
  // The guard tripped where the replay did not: blame the first alias of an alias.
  const nested = aliases.find((entry) => entry.source !== undefined && hasAlias(entry.source));
  const first = nested ?? aliases[0];
  return first === undefined ? undefined : { alias: first.alias, unresolved: false };
}

function hasAlias(node: Node): boolean {
  let found = false;
  visit(node, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** A key written twice in one mapping: the repeated pair, its first writing, and the path. */
export interface DuplicateKey {
  readonly key: string;
  readonly path: PathSegment[];
  /** Offset of the first writing of the key. */
  readonly firstAt: number;
}

/** The mapping key that starts at `offset`, when it repeats a key of the same mapping. */
export function duplicateKeyAt(doc: Document, offset: number): DuplicateKey | undefined {
  let found: DuplicateKey | undefined;
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const key = pair.key as Node | null;
      if (key?.range?.[0] !== offset) return undefined;
      const map = ancestors[ancestors.length - 1];
      const name = keyText(pair);
      const first = isMap(map)
        ? map.items.find((item) => item !== pair && keyText(item) === name)
        : undefined;
      const firstKey = first?.key as Node | null | undefined;
      found = {
        key: name,
        path: [...pathOf(ancestors), name],
        firstAt: firstKey?.range?.[0] ?? offset,
      };
      return visit.BREAK;
    },
  });
  return found;
}

function keyText(pair: Pair): string {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** The schema path of the node below `ancestors` (as `visit` lists them, outermost first). */
function pathOf(ancestors: readonly unknown[]): PathSegment[] {
  const path: PathSegment[] = [];
  ancestors.forEach((node, index) => {
    const child = ancestors[index + 1];
    if (isPair(node)) path.push(keyText(node));
    else if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as Node));
  });
  return path;
}
