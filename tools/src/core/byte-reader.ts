/**
 * Reads exact byte counts out of a stream of chunks of any size, counting the bytes handed out
 * (tar and cpio padding is computed from the start of the archive). Memory grows with the
 * bytes actually received, never with a requested count alone.
 */
export class ByteReader {
  readonly #chunks: Uint8Array[] = [];
  readonly #iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  #buffered = 0;
  #ended = false;
  /** Bytes handed out (read, skipped or piped) so far. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.#iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /** Buffers until `count` bytes are available or the source ends; returns what is available. */
  async #fill(count: number): Promise<number> {
    while (this.#buffered < count && !this.#ended) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#ended = true;
      } else if (next.value.length > 0) {
        this.#chunks.push(next.value);
        this.#buffered += next.value.length;
      }
    }
    return Math.min(this.#buffered, count);
  }

  /**
   * Exactly `count` bytes; fewer only when the source ends first (the caller decides whether
   * that is a clean end or a truncation).
   */
  async read(count: number): Promise<Uint8Array> {
    const available = await this.#fill(count);
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= available) {
      this.#take(first, available);
      return first.subarray(0, available);
    }
    const out = new Uint8Array(available);
    let filled = 0;
    while (filled < available) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) {
        break;
      }
      const part = Math.min(chunk.length, available - filled);
      out.set(chunk.subarray(0, part), filled);
      this.#take(chunk, part);
      filled += part;
    }
    return out;
  }

  /**
   * Up to `max` bytes, without copying: what the first buffered chunk holds, the source read
   * only when nothing is buffered. Empty only when the source has ended (or `max` is 0).
   */
  async readSome(max: number): Promise<Uint8Array> {
    await this.#fill(Math.min(1, max));
    const first = this.#chunks[0];
    if (first === undefined) {
      return new Uint8Array();
    }
    const count = Math.min(first.length, max);
    this.#take(first, count);
    return first.subarray(0, count);
  }

  /** Discards up to `count` bytes without keeping them; returns how many were discarded. */
  async skip(count: number): Promise<number> {
    let skipped = 0;
    while (skipped < count) {
      const available = await this.#fill(Math.min(count - skipped, 1 << 20));
      if (available === 0) {
        break;
      }
      let left = available;
      while (left > 0) {
        const chunk = this.#chunks[0];
        if (chunk === undefined) {
          break;
        }
        const part = Math.min(chunk.length, left);
        this.#take(chunk, part);
        left -= part;
      }
      skipped += available;
    }
    return skipped;
  }

  /** Passes `count` bytes to `sink` chunk by chunk, without copying; false when the source ends first. */
  async pipe(count: number, sink: (chunk: Uint8Array) => void): Promise<boolean> {
    for (let left = count; left > 0;) {
      const chunk = await this.readSome(left);
      if (chunk.length === 0) return false;
      sink(chunk);
      left -= chunk.length;
    }
    return true;
  }

  /** Stops reading: the source is told to finish (and release what it holds). */
  async close(): Promise<void> {
    this.#ended = true;
    this.#chunks.length = 0;
    this.#buffered = 0;
    await this.#iterator.return?.();
  }

  /** Reads the source to its end, returning how many bytes were left (stopping past `limit`). */
  async drain(limit: number): Promise<number> {
    let total = 0;
    for (;;) {
      const skipped = await this.skip(1 << 20);
      total += skipped;
      if (skipped === 0 || total > limit) {
        return total;
      }
    }
  }

  #take(chunk: Uint8Array, count: number): void {
    if (count === chunk.length) {
      this.#chunks.shift();
    } else {
      this.#chunks[0] = chunk.subarray(count);
    }
    this.#buffered -= count;
    this.position += count;
  }
}
