/**
 * File contents as package readers hand them over (see FileContent): small files whole, larger
 * ones as a ContentStream of bounded chunks, checked as they pass.
 */

import { InternalError } from '../core/errors.ts';
import type { FileContent, PackageEntry, StreamedEntry } from './model.ts';

/** Files up to this size are handed over whole; larger ones in chunks of at most this size. */
export const CONTENT_CHUNK_BYTES = 1024 * 1024;

/** What a package declares about a file's content, checked as the content streams past. */
export interface ContentCheck {
  update(chunk: Uint8Array): void;
  /** Called after the last chunk; throws when the content is not what the package declares. */
  finish(): void;
}

type State = 'unread' | 'reading' | 'done' | 'failed' | 'settled';

/**
 * One file's content, read out of a package stream chunk by chunk as the consumer asks for it,
 * with `check` seeing every chunk and judging the whole after the last one: a content that fails
 * makes the iteration throw instead of ending. It can be iterated once, until the reader calls
 * settle() before moving on to the next entry.
 */
export class ContentStream implements AsyncIterable<Uint8Array> {
  readonly #chunks: AsyncIterator<Uint8Array>;
  readonly #check: ContentCheck | undefined;
  #state: State = 'unread';
  #busy = false;
  #failure: unknown;

  constructor(chunks: AsyncIterable<Uint8Array>, check?: ContentCheck) {
    this.#chunks = chunks[Symbol.asyncIterator]();
    this.#check = check;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.#state === 'unread') {
      this.#state = 'reading';
    } else if (this.#state !== 'settled') {
      throw new InternalError('the content of a package file was read twice');
    }
    for (;;) {
      const chunk = await this.#next();
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  /** The next chunk, checked; undefined once the content has ended and passed its check. */
  async #next(): Promise<Uint8Array | undefined> {
    switch (this.#state) {
      case 'settled':
        throw new InternalError(
          'the content of a package file was read after the next entry was asked for',
        );
      case 'failed':
        throw this.#failure;
      case 'done':
        return undefined;
      default:
    }
    if (this.#busy) {
      throw new InternalError('the content of a package file was read twice at once');
    }
    this.#busy = true;
    try {
      const next = await this.#chunks.next();
      if (next.done === true) {
        this.#check?.finish();
        this.#state = 'done';
        return undefined;
      }
      this.#check?.update(next.value);
      return next.value;
    } catch (error) {
      this.#state = 'failed';
      this.#failure = error;
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Reads and checks whatever the consumer left unread, so that the package stream stands after
   * this file; throws when the content failed. The content cannot be read afterwards.
   */
  async settle(): Promise<void> {
    if (this.#state === 'settled') return;
    while ((await this.#next()) !== undefined) {
      // Read on: the content is checked to its end even when nobody keeps it.
    }
    this.#state = 'settled';
  }
}

/** Settles a content that was streamed (see ContentStream.settle); whole contents need nothing. */
export async function settleContent(content: FileContent | undefined): Promise<void> {
  if (content instanceof ContentStream) await content.settle();
}

/** The content in chunks, whether it came whole or not. */
export async function* contentChunks(content: FileContent): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else yield* content;
}

/** The whole content in one buffer: for small files, tests and tools, never for an image build. */
export async function contentBytes(content: FileContent): Promise<Uint8Array> {
  if (content instanceof Uint8Array) return content;
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of content) {
    parts.push(chunk);
    size += chunk.length;
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/** An entry whose content, if any, has been read whole. */
export interface WholeEntry {
  readonly entry: PackageEntry;
  readonly content?: Uint8Array;
}

/**
 * The entries with their contents read whole as they come, so that they can be kept past the
 * next entry: for tests and tools over small packages.
 */
export async function* wholeEntries(
  entries: AsyncIterable<StreamedEntry>,
): AsyncGenerator<WholeEntry> {
  for await (const { entry, content } of entries) {
    yield content === undefined ? { entry } : { entry, content: await contentBytes(content) };
  }
}
