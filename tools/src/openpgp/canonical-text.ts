const CR = 0x0d;
const LF = 0x0a;
const CRLF = Uint8Array.of(CR, LF);

/**
 * Rewrites data for a canonical text signature (type 0x01): every line ends in CR LF. Carriage
 * returns just before a line feed are folded into it, and trailing carriage returns at the very
 * end are dropped, which is what GnuPG hashes for `--textmode`. Works across chunk boundaries
 * without joining the chunks.
 */
export function* canonicalText(chunks: readonly Uint8Array[]): Generator<Uint8Array> {
  let pendingCr = 0;
  for (const chunk of chunks) {
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte === CR) {
        if (index > start) {
          yield* flush(pendingCr, chunk.subarray(start, index));
          pendingCr = 0;
        }
        pendingCr++;
        start = index + 1;
      } else if (byte === LF) {
        if (index > start) {
          yield* flush(pendingCr, chunk.subarray(start, index));
        }
        pendingCr = 0;
        yield CRLF;
        start = index + 1;
      }
    }
    if (chunk.length > start) {
      yield* flush(pendingCr, chunk.subarray(start));
      pendingCr = 0;
    }
  }
}

function* flush(pendingCr: number, text: Uint8Array): Generator<Uint8Array> {
  if (pendingCr > 0) {
    yield new Uint8Array(pendingCr).fill(CR);
  }
  yield text;
}
