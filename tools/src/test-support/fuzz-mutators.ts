/**
 * Mutators of fuzz inputs, written once as fast-check arbitraries: {@link flipBytes},
 * {@link overwriteBytes}, {@link truncate}, {@link deleteBytes}, {@link insertBytes},
 * {@link splice} and {@link duplicate}, combined over seed inputs (real fixtures and generated
 * valid inputs) by {@link mutatedBytes} and {@link seedsAndMutants}.
 */

import * as fc from 'fast-check';

/**
 * One edit of an input. Positions and lengths are raw numbers, reduced modulo the input (or its
 * focus region) when applied, so that one mutation fits any seed and shrinks towards offset 0.
 */
export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bits: number }
  | { readonly op: 'overwrite'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | {
      readonly op: 'splice';
      readonly at: number;
      /** Which donor input the bytes come from (modulo the donors; the input itself when none). */
      readonly donor: number;
      readonly from: number;
      readonly length: number;
      /** Overwrite in place rather than insert. */
      readonly overwrite: boolean;
    }
  | {
      readonly op: 'duplicate';
      readonly at: number;
      readonly length: number;
      readonly times: number;
    };

/** Offsets biased towards the start, where headers and length fields are. */
export const position: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 512 }) },
  { weight: 2, arbitrary: fc.nat() },
);

const length: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 16 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 4096 }) },
);

/** Numbers that break length and count fields: zero, one, sign and width boundaries. */
const BOUNDARY_NUMBERS: readonly bigint[] = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x100n,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x10000n,
  0x7fffffffn,
  0x80000000n,
  0xfffffff0n,
  0xffffffffn,
  0x100000000n,
  0x1fffffffffffffn,
  0x20000000000000n,
  0x7fffffffffffffffn,
  0xffffffffffffffffn,
];

/** Text that breaks number parsers and text formats. */
const BOUNDARY_TEXT: readonly string[] = [
  '0',
  '-1',
  '00000000',
  'ffffffff',
  '7777777777',
  '99999999999',
  '4294967296',
  '9007199254740993',
  '18446744073709551616',
  '1e309',
  'NaN',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\0',
  '=',
  ':',
  '"',
  "'",
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  ']]>',
  '<!--',
  '<![CDATA[',
  '\u00ff',
  '\u2028',
  '\ufeff',
  '%',
  '../',
  '/',
  '*&a',
  '&a ',
  '!!binary',
  '- ',
  '? ',
  '{',
  '[',
  '#',
];

function numberBytes(value: bigint, width: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(width);
  let rest = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    bytes[littleEndian ? i : width - 1 - i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** Replacement bytes: random, boundary integers of 1 to 8 bytes either endian, or boundary text. */
const replacement: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...BOUNDARY_NUMBERS),
          fc.bigInt({ min: -16n, max: 16n }),
          fc.bigInt({ min: 0n, max: 0xffffffffn }),
        ),
        fc.constantFrom(1, 2, 4, 8),
        fc.boolean(),
      )
      .map(([value, width, little]) => numberBytes(value, width, little)),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.constantFrom(...BOUNDARY_TEXT), fc.string({ maxLength: 8 }))
      .map((text) => new TextEncoder().encode(text)),
  },
);

/** Flips 1 to 8 bits of one byte. */
export const flipBytes: fc.Arbitrary<Mutation> = fc
  .record({ at: position, bits: fc.integer({ min: 1, max: 255 }) })
  .map(({ at, bits }) => ({ op: 'flip', at, bits }));

/** Overwrites bytes with random or boundary values (integers, number text, syntax characters). */
export const overwriteBytes: fc.Arbitrary<Mutation> = fc
  .record({ at: position, bytes: replacement })
  .map(({ at, bytes }) => ({ op: 'overwrite', at, bytes }));

/** Cuts the input short. */
export const truncate: fc.Arbitrary<Mutation> = position.map((at) => ({ op: 'truncate', at }));

/** Removes a range. */
export const deleteBytes: fc.Arbitrary<Mutation> = fc
  .record({ at: position, length })
  .map(({ at, length }) => ({ op: 'delete', at, length }));

/** Inserts random or boundary bytes. */
export const insertBytes: fc.Arbitrary<Mutation> = fc
  .record({ at: position, bytes: replacement })
  .map(({ at, bytes }) => ({ op: 'insert', at, bytes }));

/** Copies a range of another input (or of the input itself) over or into the input. */
export const splice: fc.Arbitrary<Mutation> = fc
  .record({ at: position, donor: fc.nat(), from: position, length, overwrite: fc.boolean() })
  .map((fields) => ({ op: 'splice', ...fields }));

/** Repeats a range of the input in place. */
export const duplicate: fc.Arbitrary<Mutation> = fc
  .record({ at: position, length, times: fc.integer({ min: 1, max: 4 }) })
  .map((fields) => ({ op: 'duplicate', ...fields }));

/** Any one mutation, the cheap local ones more often. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: flipBytes },
  { weight: 4, arbitrary: overwriteBytes },
  { weight: 1, arbitrary: truncate },
  { weight: 2, arbitrary: deleteBytes },
  { weight: 2, arbitrary: insertBytes },
  { weight: 2, arbitrary: splice },
  { weight: 2, arbitrary: duplicate },
);

/** The part of an input mutations land in: `[start, end)`. */
export interface Focus {
  readonly start: number;
  readonly end: number;
}

function place(raw: number, focus: Focus, size: number): number {
  const start = Math.min(focus.start, size);
  const end = Math.min(Math.max(focus.end, start), size);
  return start + (raw % (end - start + 1));
}

const MAX_GROWTH = 1 << 20;

/** Applies mutations in order. Never grows the input by more than 1 MiB in all. */
export function applyMutations(
  input: Uint8Array,
  mutations: readonly Mutation[],
  donors: readonly Uint8Array[] = [],
  focus?: Focus,
): Uint8Array {
  let bytes = Buffer.from(input);
  const limit = input.length + MAX_GROWTH;
  for (const edit of mutations) {
    const region = focus ?? { start: 0, end: bytes.length };
    const at = place(edit.at, region, bytes.length);
    switch (edit.op) {
      case 'flip':
        if (at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ edit.bits;
        break;
      case 'overwrite':
        bytes.set(edit.bytes.subarray(0, bytes.length - at), at);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
        break;
      case 'splice': {
        const donor = donors.length === 0 ? bytes : (donors[edit.donor % donors.length] ?? bytes);
        const from = edit.from % (donor.length + 1);
        const piece = Buffer.from(donor.subarray(from, from + edit.length));
        bytes = edit.overwrite
          ? Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at + piece.length)])
          : Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
        break;
      }
      case 'duplicate': {
        const piece = bytes.subarray(at, at + edit.length);
        const copies: Uint8Array[] = Array.from({ length: edit.times }, () => piece);
        bytes = Buffer.concat([
          bytes.subarray(0, at + piece.length),
          ...copies,
          bytes.subarray(at + piece.length),
        ]);
        break;
      }
    }
    if (bytes.length > limit) bytes = bytes.subarray(0, limit);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export interface MutateOptions {
  /** Most mutations applied to one input (at least one is). Default 6. */
  readonly maxMutations?: number;
  /** Where in a seed mutations land; the whole input by default. */
  readonly focus?: (seed: Uint8Array) => Focus;
  /** Inputs spliced from; the seeds themselves by default. */
  readonly donors?: readonly Uint8Array[];
}

/** A seed with mutations applied, and which seed it was (for messages). */
export interface Mutated {
  readonly seed: number;
  readonly bytes: Uint8Array;
}

const SHOWN_BYTES = 2048;

/** Bytes as counterexamples show them: base64, cut short past 2 KiB. */
export function showBytes(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, SHOWN_BYTES)).toString('base64');
  return bytes.length > SHOWN_BYTES
    ? `${bytes.length} bytes, base64 of the first ${SHOWN_BYTES}: ${shown}`
    : `${bytes.length} bytes, base64: ${shown}`;
}

/** A {@link Mutated} that prints as its seed number and base64, not as a list of numbers. */
export function mutated(seed: number, bytes: Uint8Array): Mutated {
  return {
    seed,
    bytes,
    [fc.toStringMethod]: () => `{ seed ${seed}: ${showBytes(bytes)} }`,
  } as Mutated;
}

/** Seeds (real fixtures, generated inputs) with 1 to `maxMutations` mutations each. */
export function mutatedBytes(
  seeds: readonly Uint8Array[] | fc.Arbitrary<Uint8Array>,
  options: MutateOptions = {},
): fc.Arbitrary<Mutated> {
  const pick: fc.Arbitrary<{ seed: number; input: Uint8Array }> = Array.isArray(seeds)
    ? fc.nat({ max: seeds.length - 1 }).map((seed) => ({ seed, input: seeds[seed] as Uint8Array }))
    : (seeds as fc.Arbitrary<Uint8Array>).map((input) => ({ seed: -1, input }));
  const donors = options.donors ?? (Array.isArray(seeds) ? seeds : []);
  return fc
    .tuple(pick, fc.array(mutation, { minLength: 1, maxLength: options.maxMutations ?? 6 }))
    .map(([{ seed, input }, mutations]) =>
      mutated(seed, applyMutations(input, mutations, donors, options.focus?.(input))),
    );
}

/** Either a seed unchanged (a valid input must parse) or a mutated one, at `validWeight` : 8. */
export function seedsAndMutants(
  seeds: readonly Uint8Array[] | fc.Arbitrary<Uint8Array>,
  options: MutateOptions & { readonly validWeight?: number } = {},
): fc.Arbitrary<Mutated> {
  const valid: fc.Arbitrary<Mutated> = Array.isArray(seeds)
    ? fc.nat({ max: seeds.length - 1 }).map((seed) => mutated(seed, seeds[seed] as Uint8Array))
    : (seeds as fc.Arbitrary<Uint8Array>).map((bytes) => mutated(-1, bytes));
  return fc.oneof(
    { weight: options.validWeight ?? 1, arbitrary: valid },
    { weight: 8, arbitrary: mutatedBytes(seeds, options) },
  );
}
