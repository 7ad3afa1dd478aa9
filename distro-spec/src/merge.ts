import type { PathSegment } from './source.ts';

/** Something a layer asks for that its parent's data cannot give, at a path in the layer. */
export interface MergeProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/**
 * Merges a child layer onto its parent's data: mappings merge key by key, scalars and lists
 * replace, and a list delta `{ add, remove }` edits the inherited list. `remove` matches an
 * item equal to the string, or an item whose identifying field (`name`; `label` for
 * partitions, `path` for permissions) is that string. Removing what the inherited list does
 * not hold is a problem, pushed to `problems`: a name that matches nothing is a typo or a
 * parent that changed, and ignoring it only moves the failure to a later, less clear place.
 * Adding what is already there is not: the result is the same set, and a child may name what
 * it needs whatever its parent holds today.
 */
export function mergeLayer(
  parent: unknown,
  child: unknown,
  problems: MergeProblem[] = [],
  path: readonly PathSegment[] = [],
): unknown {
  if (child === undefined) return parent;
  if (isListDelta(child)) return applyDelta(parent, child, problems, path);
  if (isMapping(child) && isMapping(parent)) {
    const merged: Record<string, unknown> = { ...parent };
    for (const [key, value] of Object.entries(child)) {
      merged[key] = mergeLayer(parent[key], value, problems, [...path, key]);
    }
    return merged;
  }
  return child;
}

interface ListDelta {
  add?: unknown[];
  remove?: unknown[];
}

const SHOWN_NAMES = 12;

function applyDelta(
  parent: unknown,
  delta: ListDelta,
  problems: MergeProblem[],
  path: readonly PathSegment[],
): unknown[] {
  const list = Array.isArray(parent) ? (parent as unknown[]) : [];
  const names = list.map(itemName);
  const present = new Set(names);
  (delta.remove ?? []).forEach((name, index) => {
    if (typeof name !== 'string' || present.has(name)) return;
    problems.push({
      path: [...path, 'remove', index],
      message: Array.isArray(parent)
        ? `cannot remove "${name}": the inherited list has no such item (it has ${preview(names)})`
        : `cannot remove "${name}": nothing is inherited here, the files before this one do not set it`,
    });
  });
  const removed = new Set(delta.remove ?? []);
  const kept = list.filter((_, index) => !removed.has(names[index]));
  return [...kept, ...(delta.add ?? [])];
}

function preview(names: readonly (string | undefined)[]): string {
  const known = names.filter((name): name is string => name !== undefined);
  if (known.length === 0) return 'no named items';
  const shown = known.slice(0, SHOWN_NAMES).map((name) => `"${name}"`);
  const more = known.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** The field that names an item of each list of the schema. */
const NAME_FIELDS = ['name', 'label', 'path'] as const;

function itemName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!isMapping(item)) return undefined;
  for (const field of NAME_FIELDS) {
    const value = item[field];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function isListDelta(value: unknown): value is ListDelta {
  if (!isMapping(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === 'add' || key === 'remove');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
