/**
 * Strings packed for the metadata cache: each distinct string once, as UTF-8 one after the
 * other, and read back one at a time, only when asked for.
 */

/** The packed strings: where each ends in `strings`; it starts where the one before ends. */
export interface PackedStrings {
  readonly strings: Uint8Array;
  readonly stringEnds: Uint32Array;
}

/** Numbers the strings given to it, each distinct string once. */
export class StringTableWriter {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  pack(): PackedStrings {
    const stringEnds = new Uint32Array(this.texts.length);
    let end = 0;
    this.texts.forEach((text, id) => {
      end += Buffer.byteLength(text, 'utf8');
      stringEnds[id] = end;
    });
    return { strings: Buffer.from(this.texts.join(''), 'utf8'), stringEnds };
  }
}

/** Whether `ends` is a Uint32Array that never goes down and stays within `limit`. */
export function ascendingWithin(ends: unknown, limit: number): ends is Uint32Array {
  if (!(ends instanceof Uint32Array)) return false;
  let previous = 0;
  for (let at = 0; at < ends.length; at++) {
    const end = ends[at] as number;
    if (end < previous || end > limit) return false;
    previous = end;
  }
  return true;
}

/** Whether `values` is a Uint32Array of numbers below `limit`. */
export function allBelow(values: unknown, limit: number): values is Uint32Array {
  if (!(values instanceof Uint32Array)) return false;
  for (let at = 0; at < values.length; at++) {
    if ((values[at] as number) >= limit) return false;
  }
  return true;
}

/**
 * The common part of a packed value read back: its fields, when it has format `format`,
 * packed strings whose ends stay inside them, and an array of records in `recordsField`.
 */
export function packedRecords(
  value: unknown,
  format: number,
  recordsField: string,
): { fields: Record<string, unknown>; records: readonly object[]; strings: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const { strings, stringEnds } = fields;
  const records = fields[recordsField];
  if (fields['format'] !== format || !(strings instanceof Uint8Array)) return undefined;
  if (!ascendingWithin(stringEnds, strings.length) || !Array.isArray(records)) return undefined;
  if (!records.every((record) => typeof record === 'object' && record !== null)) return undefined;
  return { fields, records: records as object[], strings: stringEnds.length };
}

/** Where entry `at` of a list of ends starts and ends. */
export function rangeAt(ends: Uint32Array, at: number): [number, number] {
  return [at === 0 ? 0 : (ends[at - 1] as number), ends[at] as number];
}

/** Decodes packed strings by number, each once. */
export class StringTableReader {
  private readonly text: Buffer;
  private readonly decoded: (string | undefined)[];

  constructor(
    private readonly packed: PackedStrings,
    /** Named in errors: `the packed package table`. */
    private readonly what: string,
  ) {
    const { strings } = packed;
    this.text = Buffer.from(strings.buffer, strings.byteOffset, strings.byteLength);
    this.decoded = new Array<string | undefined>(packed.stringEnds.length);
  }

  get count(): number {
    return this.decoded.length;
  }

  string(id: number): string {
    if (id >= this.decoded.length) {
      throw new RangeError(`${this.what} names string ${id} of ${this.decoded.length}`);
    }
    let text = this.decoded[id];
    if (text === undefined) {
      const [start, end] = rangeAt(this.packed.stringEnds, id);
      text = this.text.toString('utf8', start, end);
      this.decoded[id] = text;
    }
    return text;
  }
}
