/**
 * The cpio variants found in RPM payloads.
 *
 * - newc (`070701`) and crc (`070702`): a 110-byte ASCII header of the magic and thirteen
 *   8-digit hex fields (ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
 *   rdevmajor, rdevminor, namesize, check), the NUL-terminated name, padding to a multiple of
 *   4 bytes from the start of the archive, the data, padding again. In crc archives `check` is
 *   the sum of the data bytes modulo 2^32. rpm names members `./usr/bin/ls`. A member named
 *   `TRAILER!!!` ends the archive.
 * - rpm's stripped form (`07070X`), used by v6 packages and by v4 packages with files over
 *   4 GiB: the magic and one 8-digit hex field, the index of the file in the header, then
 *   padding and the data. Everything else, the data size included, comes from the header.
 *   The archive still ends with a newc trailer.
 *
 * Hardlinked files appear once per member; only one member of the set carries the data.
 */

import { malformedRpm, type RpmContext } from './context.ts';
import type { ByteReader } from '../core/byte-reader.ts';

const NEWC_HEADER_SIZE = 110;
const STRIPPED_HEADER_SIZE = 14;
const MAGIC_SIZE = 6;
/** rpm refuses member names longer than PATH_MAX. */
const MAX_NAME_SIZE = 4096;
const TRAILER = 'TRAILER!!!';

export interface CpioNewcMember {
  readonly kind: 'newc';
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  /** The data checksum of a crc (`070702`) member. */
  readonly checksum?: number;
}

export interface CpioStrippedMember {
  readonly kind: 'stripped';
  /** Index of the file in the header's file list. */
  readonly index: number;
}

export type CpioMember = CpioNewcMember | CpioStrippedMember | { readonly kind: 'trailer' };

/** The crc (`070702`) checksum: the sum of the data bytes modulo 2^32. */
function addToSum(sum: number, chunk: Uint8Array): number {
  let total = sum;
  for (const byte of chunk) total = (total + byte) >>> 0;
  return total;
}

function paddingAt(position: number): number {
  return (4 - (position % 4)) % 4;
}

function hexField(text: string, at: number): number | undefined {
  const field = text.slice(at, at + 8);
  return /^[0-9a-fA-F]{8}$/.test(field) ? Number.parseInt(field, 16) : undefined;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class CpioReader {
  readonly #source: ByteReader;
  readonly #context: RpmContext;

  constructor(source: ByteReader, context: RpmContext) {
    this.#source = source;
    this.#context = context;
  }

  #truncated(): Error {
    return malformedRpm(this.#context, 'the payload is truncated: the cpio archive ends early');
  }

  async #exact(length: number): Promise<Uint8Array> {
    const bytes = await this.#source.read(length);
    if (bytes.length < length) throw this.#truncated();
    return bytes;
  }

  async #skipPadding(): Promise<void> {
    const padding = paddingAt(this.#source.position);
    if (padding > 0) await this.#exact(padding);
  }

  /** Reads the next member header (and name); the data is read with {@link readData}. */
  async next(): Promise<CpioMember> {
    const magic = latin1.decode(await this.#exact(MAGIC_SIZE));
    if (magic === '07070X') {
      const text = latin1.decode(await this.#exact(STRIPPED_HEADER_SIZE - MAGIC_SIZE));
      const index = hexField(text, 0);
      if (index === undefined) throw malformedRpm(this.#context, 'malformed stripped cpio header');
      await this.#skipPadding();
      return { kind: 'stripped', index };
    }
    if (magic !== '070701' && magic !== '070702') {
      throw malformedRpm(
        this.#context,
        `the payload is not an RPM cpio archive (magic "${magic.replace(/[^ -~]/g, '?')}")`,
      );
    }
    const text = latin1.decode(await this.#exact(NEWC_HEADER_SIZE - MAGIC_SIZE));
    const fields: number[] = [];
    for (let i = 0; i < 13; i++) {
      const value = hexField(text, i * 8);
      if (value === undefined)
        throw malformedRpm(this.#context, 'malformed cpio header: bad hex field');
      fields.push(value);
    }
    const mode = fields[1] ?? 0;
    const size = fields[6] ?? 0;
    const nameSize = fields[11] ?? 0;
    if (nameSize < 1 || nameSize > MAX_NAME_SIZE) {
      throw malformedRpm(this.#context, `malformed cpio header: name size ${nameSize}`);
    }
    const nameBytes = await this.#exact(nameSize);
    if (nameBytes[nameSize - 1] !== 0 || nameBytes.indexOf(0) !== nameSize - 1) {
      throw malformedRpm(this.#context, 'malformed cpio header: the name is not NUL-terminated');
    }
    let name: string;
    try {
      name = utf8.decode(nameBytes.subarray(0, nameSize - 1));
    } catch (cause) {
      throw malformedRpm(this.#context, 'a cpio member name is not valid UTF-8', cause);
    }
    await this.#skipPadding();
    if (name === TRAILER) return { kind: 'trailer' };
    return {
      kind: 'newc',
      name,
      mode,
      size,
      ...(magic === '070702' ? { checksum: fields[12] ?? 0 } : {}),
    };
  }

  /** Passes the member's data to `sink` chunk by chunk, checks a crc checksum, skips padding. */
  async readData(
    size: number,
    sink: (chunk: Uint8Array) => void,
    checksum?: number,
  ): Promise<void> {
    let sum = 0;
    const complete = await this.#source.pipe(size, (chunk) => {
      if (checksum !== undefined) sum = addToSum(sum, chunk);
      sink(chunk);
    });
    if (!complete) throw this.#truncated();
    await this.#endData(sum, checksum);
  }

  /**
   * The member's data as chunks of at most `maxChunk` bytes, read as they are asked for; after
   * the last one, checks a crc checksum and skips the padding.
   */
  async *dataChunks(size: number, maxChunk: number, checksum?: number): AsyncGenerator<Uint8Array> {
    let sum = 0;
    for (let left = size; left > 0;) {
      const chunk = await this.#source.readSome(Math.min(left, maxChunk));
      if (chunk.length === 0) throw this.#truncated();
      if (checksum !== undefined) sum = addToSum(sum, chunk);
      left -= chunk.length;
      yield chunk;
    }
    await this.#endData(sum, checksum);
  }

  async #endData(sum: number, checksum: number | undefined): Promise<void> {
    if (checksum !== undefined && sum !== checksum) {
      throw malformedRpm(this.#context, 'a cpio member fails its crc checksum');
    }
    await this.#skipPadding();
  }
}
