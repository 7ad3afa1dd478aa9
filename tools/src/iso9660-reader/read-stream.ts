/** Streaming a file's extents, one bounded chunk at a time. */

import { Readable } from 'node:stream';
import type { ImageFile } from './image-file.ts';
import type { IsoExtent } from './types.ts';

export const DEFAULT_CHUNK_SIZE = 64 * 1024;

export function extentStream(
  file: ImageFile,
  extents: readonly IsoExtent[],
  chunkSize: number,
  what: string,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const extent of extents) {
      for (let done = 0; done < extent.length;) {
        const length = Math.min(chunkSize, extent.length - done);
        yield await file.read(extent.position + done, length, what);
        done += length;
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: chunkSize });
}
