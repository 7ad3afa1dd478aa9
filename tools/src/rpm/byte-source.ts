/**
 * Exact-length reads over a stream of chunks, counting the bytes consumed so that cpio padding
 * can be computed from the start of the archive.
 */
export class ByteSource {
  readonly #chunks: AsyncIterator<Uint8Array>;
  #pending: Uint8Array = new Uint8Array(0);
  #position = 0;
  #ended = false;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.#position;
  }

  async #fill(): Promise<boolean> {
    while (this.#pending.length === 0) {
      if (this.#ended) return false;
      const next = await this.#chunks.next();
      if (next.done === true) {
        this.#ended = true;
        return false;
      }
      this.#pending = next.value;
    }
    return true;
  }

  /**
   * Reads exactly `length` bytes, or returns undefined when the stream ends first. Memory grows
   * with the bytes actually received, never with the requested length alone.
   */
  async read(length: number): Promise<Uint8Array | undefined> {
    if (this.#pending.length >= length) {
      const out = this.#pending.subarray(0, length);
      this.#pending = this.#pending.subarray(length);
      this.#position += length;
      return out;
    }
    const parts: Uint8Array[] = [];
    let remaining = length;
    while (remaining > 0) {
      if (!(await this.#fill())) return undefined;
      const take = Math.min(remaining, this.#pending.length);
      parts.push(this.#pending.subarray(0, take));
      this.#pending = this.#pending.subarray(take);
      remaining -= take;
      this.#position += take;
    }
    return concat(parts, length);
  }

  /**
   * Up to `max` bytes, without copying: what is buffered, the stream read only when nothing
   * is. Undefined when the stream has ended.
   */
  async readSome(max: number): Promise<Uint8Array | undefined> {
    if (!(await this.#fill())) return undefined;
    const take = Math.min(max, this.#pending.length);
    const out = this.#pending.subarray(0, take);
    this.#pending = this.#pending.subarray(take);
    this.#position += take;
    return out;
  }

  /** Passes `length` bytes to `sink` chunk by chunk; false when the stream ends first. */
  async pipe(length: number, sink: (chunk: Uint8Array) => void): Promise<boolean> {
    let remaining = length;
    while (remaining > 0) {
      if (!(await this.#fill())) return false;
      const take = Math.min(remaining, this.#pending.length);
      sink(this.#pending.subarray(0, take));
      this.#pending = this.#pending.subarray(take);
      remaining -= take;
      this.#position += take;
    }
    return true;
  }

  /** Stops reading: the producer is told to finish (and release what it holds). */
  async close(): Promise<void> {
    this.#ended = true;
    this.#pending = new Uint8Array(0);
    await this.#chunks.return?.();
  }

  /** Consumes the rest of the stream; returns how many bytes there were, up to `limit` + 1. */
  async drain(limit: number): Promise<number> {
    let total = 0;
    while (total <= limit && (await this.#fill())) {
      total += this.#pending.length;
      this.#position += this.#pending.length;
      this.#pending = new Uint8Array(0);
    }
    return total;
  }
}

export function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
