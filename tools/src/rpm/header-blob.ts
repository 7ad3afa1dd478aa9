import { malformedRpm, type RpmContext } from './context.ts';
import {
  HEADER_PREAMBLE_SIZE,
  parseHeaderIndex,
  type HeaderEntry,
  type HeaderLimits,
} from './header-index.ts';
import { RpmTagType } from './tags.ts';

const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * One parsed header with typed accessors. Accessors return undefined for an absent tag and
 * throw a PackageFormatError when the tag has a type the caller cannot use.
 *
 * Text is decoded as UTF-8; bytes that are not UTF-8 (headers of old packages in Latin-1)
 * become U+FFFD, except where {@link strictStrings} is asked for.
 */
export class HeaderBlob {
  /** The header exactly as stored in the file: preamble, index and data. */
  readonly bytes: Uint8Array;
  readonly entries: ReadonlyMap<number, HeaderEntry>;
  readonly #data: Uint8Array;
  readonly #view: DataView;
  readonly #what: string;
  readonly #context: RpmContext;

  constructor(bytes: Uint8Array, limits: HeaderLimits, what: string, context: RpmContext) {
    this.entries = parseHeaderIndex(bytes, limits, what, context);
    this.bytes = bytes;
    const dataStart = HEADER_PREAMBLE_SIZE + this.entries.size * 16;
    this.#data = bytes.subarray(dataStart);
    this.#view = new DataView(this.#data.buffer, this.#data.byteOffset, this.#data.byteLength);
    this.#what = what;
    this.#context = context;
  }

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  #entry(tag: number, types: readonly number[], expected: string): HeaderEntry | undefined {
    const entry = this.entries.get(tag);
    if (entry !== undefined && !types.includes(entry.type)) {
      throw malformedRpm(
        this.#context,
        `${this.#what}, tag ${tag}: ${expected} expected, found type ${entry.type}`,
      );
    }
    return entry;
  }

  #rawStrings(entry: HeaderEntry): Uint8Array[] {
    const out: Uint8Array[] = [];
    let position = entry.offset;
    for (let i = 0; i < entry.count; i++) {
      const end = this.#data.indexOf(0, position);
      out.push(this.#data.subarray(position, end));
      position = end + 1;
    }
    return out;
  }

  /** A STRING, or the untranslated (first) value of an I18NSTRING. */
  string(tag: number): string | undefined {
    const entry = this.#entry(tag, [RpmTagType.STRING, RpmTagType.I18NSTRING], 'a string');
    if (entry === undefined) return undefined;
    const [first] = this.#rawStrings(entry);
    return first === undefined ? undefined : lenient.decode(first);
  }

  /** A STRING_ARRAY; a single STRING or I18NSTRING is returned as a one-element array. */
  strings(tag: number): string[] | undefined {
    const entry = this.#entry(
      tag,
      [RpmTagType.STRING_ARRAY, RpmTagType.STRING, RpmTagType.I18NSTRING],
      'a string array',
    );
    if (entry === undefined) return undefined;
    const raw = this.#rawStrings(entry);
    if (entry.type === RpmTagType.I18NSTRING) raw.length = 1;
    return raw.map((bytes) => lenient.decode(bytes));
  }

  /** Like {@link strings}, but refuses anything that is not valid UTF-8 (for file names). */
  strictStrings(tag: number): string[] | undefined {
    const entry = this.#entry(tag, [RpmTagType.STRING_ARRAY, RpmTagType.STRING], 'a string array');
    if (entry === undefined) return undefined;
    return this.#rawStrings(entry).map((bytes, index) => {
      try {
        return strict.decode(bytes);
      } catch (cause) {
        throw malformedRpm(
          this.#context,
          `${this.#what}, tag ${tag}: value ${index} is not valid UTF-8`,
          cause,
        );
      }
    });
  }

  /** Any integer type (CHAR, INT8, INT16, INT32, INT64) as unsigned numbers. */
  numbers(tag: number): number[] | undefined {
    const entry = this.#entry(
      tag,
      [RpmTagType.CHAR, RpmTagType.INT8, RpmTagType.INT16, RpmTagType.INT32, RpmTagType.INT64],
      'an integer',
    );
    if (entry === undefined) return undefined;
    const out: number[] = [];
    for (let i = 0; i < entry.count; i++) out.push(this.#integer(entry, i, tag));
    return out;
  }

  #integer(entry: HeaderEntry, index: number, tag: number): number {
    switch (entry.type) {
      case RpmTagType.INT16:
        return this.#view.getUint16(entry.offset + index * 2);
      case RpmTagType.INT32:
        return this.#view.getUint32(entry.offset + index * 4);
      case RpmTagType.INT64: {
        const value = this.#view.getBigUint64(entry.offset + index * 8);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw malformedRpm(
            this.#context,
            `${this.#what}, tag ${tag}: 64-bit value ${value} is too large`,
          );
        }
        return Number(value);
      }
      default:
        return this.#view.getUint8(entry.offset + index);
    }
  }

  /** The first value of an integer tag. */
  number(tag: number): number | undefined {
    const entry = this.#entry(
      tag,
      [RpmTagType.CHAR, RpmTagType.INT8, RpmTagType.INT16, RpmTagType.INT32, RpmTagType.INT64],
      'an integer',
    );
    return entry === undefined ? undefined : this.#integer(entry, 0, tag);
  }

  /** A BIN value (a view into the header, not a copy). */
  binary(tag: number): Uint8Array | undefined {
    const entry = this.#entry(tag, [RpmTagType.BIN], 'binary data');
    return entry === undefined
      ? undefined
      : this.#data.subarray(entry.offset, entry.offset + entry.count);
  }
}
