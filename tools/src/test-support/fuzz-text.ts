/** Mutators of line-based text, and streams cut into chunks anywhere. */

import * as fc from 'fast-check';
import { applyMutations, mutatedBytes, mutation, position } from './fuzz-mutators.ts';

/** Edits of line-based text. */
export type LineMutation =
  | { readonly op: 'drop'; readonly at: number }
  | { readonly op: 'repeat'; readonly at: number; readonly times: number }
  | { readonly op: 'swap'; readonly at: number; readonly with: number }
  | { readonly op: 'graft'; readonly at: number; readonly donor: number; readonly line: number }
  | { readonly op: 'add'; readonly at: number; readonly text: string }
  | { readonly op: 'cut'; readonly at: number; readonly column: number };

function lineMutation(extraLines: fc.Arbitrary<string>): fc.Arbitrary<LineMutation> {
  return fc.oneof(
    position.map((at): LineMutation => ({ op: 'drop', at })),
    fc
      .record({ at: position, times: fc.integer({ min: 1, max: 3 }) })
      .map(({ at, times }): LineMutation => ({ op: 'repeat', at, times })),
    fc
      .record({ at: position, with: position })
      .map((fields): LineMutation => ({ op: 'swap', ...fields })),
    fc
      .record({ at: position, donor: fc.nat(), line: position })
      .map((fields): LineMutation => ({ op: 'graft', ...fields })),
    fc
      .record({ at: position, text: extraLines })
      .map((fields): LineMutation => ({ op: 'add', ...fields })),
    fc
      .record({ at: position, column: fc.nat({ max: 200 }) })
      .map((fields): LineMutation => ({ op: 'cut', ...fields })),
  );
}

function applyLineMutations(
  text: string,
  mutations: readonly LineMutation[],
  donors: readonly string[][],
): string {
  const lines = text.split('\n');
  for (const edit of mutations) {
    const at = edit.at % (lines.length + 1);
    switch (edit.op) {
      case 'drop':
        lines.splice(at, 1);
        break;
      case 'repeat':
        lines.splice(at, 0, ...Array.from({ length: edit.times }, () => lines[at] ?? ''));
        break;
      case 'swap': {
        const other = edit.with % (lines.length + 1);
        const first = lines[at];
        const second = lines[other];
        if (first !== undefined && second !== undefined) {
          lines[at] = second;
          lines[other] = first;
        }
        break;
      }
      case 'graft': {
        const donor = donors[edit.donor % Math.max(donors.length, 1)] ?? lines;
        lines.splice(at, 0, donor[edit.line % Math.max(donor.length, 1)] ?? '');
        break;
      }
      case 'add':
        lines.splice(at, 0, edit.text);
        break;
      case 'cut': {
        const line = lines[at];
        if (line !== undefined) lines[at] = line.slice(0, edit.column);
        break;
      }
    }
  }
  return lines.join('\n');
}

const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Text seeds mutated line by line (dropped, repeated, swapped, grafted from another seed, cut
 * short, or new lines from `extraLines`), byte by byte (then decoded leniently), or both.
 */
export function mutatedLines(
  seeds: readonly string[],
  extraLines: fc.Arbitrary<string> = fc.string({ maxLength: 40 }),
  options: { readonly maxMutations?: number } = {},
): fc.Arbitrary<string> {
  const donors = seeds.map((seed) => seed.split('\n'));
  const seedBytes = seeds.map((seed) => new TextEncoder().encode(seed));
  const max = options.maxMutations ?? 6;
  const byLine = fc
    .tuple(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(lineMutation(extraLines), { minLength: 1, maxLength: max }),
    )
    .map(([seed, mutations]) => applyLineMutations(seeds[seed] ?? '', mutations, donors));
  const byByte = mutatedBytes(seedBytes, { maxMutations: max }).map(({ bytes }) =>
    lenientUtf8.decode(bytes),
  );
  const both = fc
    .tuple(byLine, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([text, mutations]) =>
      lenientUtf8.decode(applyMutations(new TextEncoder().encode(text), mutations, seedBytes)),
    );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 4, arbitrary: byLine },
    { weight: 4, arbitrary: byByte },
    { weight: 2, arbitrary: both },
  );
}

/** Splits bytes into chunks at random points, as a stream would deliver them. */
export function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}

/** Random chunk boundaries for {@link chunked}. */
export const chunkCuts: fc.Arbitrary<number[]> = fc.array(fc.nat(), { maxLength: 8 });
