import type { NativeWriter } from './native.ts';
import { quote } from './paths.ts';
import type { FileContent } from './types.ts';

function isIterable(value: object): value is Iterable<unknown> | AsyncIterable<unknown> {
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** Throws unless `content` is a Uint8Array or a (possibly async) iterable of them. */
export function checkContent(path: string, content: FileContent): void {
  if (content instanceof Uint8Array) return;
  if (content !== null && typeof content === 'object' && isIterable(content)) return;
  throw new TypeError(
    `squashfs: content of ${quote(path)} must be a Uint8Array or an (async) iterable of Uint8Array`,
  );
}

/**
 * Streams one file's content into the block processor, one chunk at a time, and resolves to
 * the data slot holding its inode. Each chunk is handed over only after the previous one has
 * been consumed, so producers may reuse their buffers once the next value is requested.
 */
export async function streamContent(
  native: NativeWriter,
  path: string,
  content: FileContent,
): Promise<number> {
  if (content instanceof Uint8Array) return native.writeFile(content, true, true);

  let slot = -1;
  for await (const chunk of content as AsyncIterable<unknown>) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`squashfs: content of ${quote(path)} yielded a non-Uint8Array chunk`);
    }
    if (slot >= 0 && chunk.byteLength === 0) continue;
    const begun = await native.writeFile(chunk, slot < 0, false);
    if (slot < 0) slot = begun;
  }
  if (slot < 0) return native.writeFile(null, true, true);
  await native.writeFile(null, false, true);
  return slot;
}
