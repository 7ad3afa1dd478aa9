/**
 * A string-keyed lookup packed for the metadata cache: an open-addressing hash table over the
 * keys' string numbers, so that a run that reads it back finds a key without building a Map
 * of every key first.
 */

import { allBelow, ascendingWithin, rangeAt } from './string-table.ts';
import type { StringTableReader, StringTableWriter } from './string-table.ts';

export interface PackedLookup {
  /** The string number of each key. */
  readonly keys: Uint32Array;
  /** Where each key's values end in `values`, counted in groups of `stride`. */
  readonly ends: Uint32Array;
  readonly values: Uint32Array;
  /** Numbers per value. */
  readonly stride: number;
  /** Key number + 1 in each slot, 0 for an empty one; a power of two long. */
  readonly slots: Uint32Array;
}

/** FNV-1a over UTF-16 code units: the same when packing and when looking up. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) {
    hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  }
  return hash >>> 0;
}

/** Packs `byKey`: each key's values, `stride` numbers per value, in the order given. */
export function packLookup(
  byKey: ReadonlyMap<string, readonly number[]>,
  stride: number,
  strings: StringTableWriter,
): PackedLookup {
  const keys = new Uint32Array(byKey.size);
  const ends = new Uint32Array(byKey.size);
  let total = 0;
  for (const list of byKey.values()) total += list.length;
  const values = new Uint32Array(total);
  let size = 1;
  while (size < byKey.size * 2) size *= 2;
  const slots = new Uint32Array(size);
  let key = 0;
  let end = 0;
  for (const [name, list] of byKey) {
    keys[key] = strings.id(name);
    values.set(list, end * stride);
    end += list.length / stride;
    ends[key] = end;
    let slot = hashOf(name) & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = key + 1;
    key++;
  }
  return { keys, ends, values, stride, slots };
}

/** Whether a value read back is a packed lookup over `stringCount` strings. */
export function isPackedLookup(value: unknown, stringCount: number): value is PackedLookup {
  if (typeof value !== 'object' || value === null) return false;
  const { keys, ends, values, stride, slots } = value as Record<string, unknown>;
  if (typeof stride !== 'number' || !Number.isInteger(stride) || stride < 1) return false;
  if (!(values instanceof Uint32Array) || values.length % stride !== 0) return false;
  if (!allBelow(keys, stringCount) || !ascendingWithin(ends, values.length / stride)) return false;
  return (
    ends.length === keys.length &&
    allBelow(slots, keys.length + 1) &&
    slots.length > 0 &&
    (slots.length & (slots.length - 1)) === 0
  );
}

/** The range of `lookup.values` (in numbers, not groups) that `name` has, if it is a key. */
export function findInLookup(
  lookup: PackedLookup,
  strings: StringTableReader,
  name: string,
): [number, number] | undefined {
  const { slots, keys, ends, stride } = lookup;
  const mask = slots.length - 1;
  let slot = hashOf(name) & mask;
  for (let probes = 0; probes < slots.length; probes++, slot = (slot + 1) & mask) {
    const key = (slots[slot] as number) - 1;
    if (key < 0) return undefined;
    if (strings.string(keys[key] as number) !== name) continue;
    const [start, end] = rangeAt(ends, key);
    return [start * stride, end * stride];
  }
  return undefined;
}
