/**
 * Merges a child layer onto its parent's data: mappings merge key by key, scalars and lists
 * replace, and a list delta `{ add, remove }` edits the inherited list. `remove` matches an
 * item equal to the string, or an item whose `name` is that string.
 */
export function mergeLayer(parent: unknown, child: unknown): unknown {
  if (child === undefined) return parent;
  if (isListDelta(child)) return applyDelta(Array.isArray(parent) ? parent : [], child);
  if (isMapping(child) && isMapping(parent)) {
    const merged: Record<string, unknown> = { ...parent };
    for (const [key, value] of Object.entries(child)) merged[key] = mergeLayer(parent[key], value);
    return merged;
  }
  return child;
}

interface ListDelta {
  add?: unknown[];
  remove?: string[];
}

function applyDelta(list: readonly unknown[], delta: ListDelta): unknown[] {
  const removed = new Set(delta.remove ?? []);
  const kept = list.filter((item) => !removed.has(itemName(item) ?? ''));
  return [...kept, ...(delta.add ?? [])];
}

function itemName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (isMapping(item) && typeof item['name'] === 'string') return item['name'];
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
