/** Positional, bounds-checked reads of an image file. */

import type { FileHandle } from 'node:fs/promises';
import { IsoFormatError } from './errors.ts';

export interface ImageFile {
  /** The image's path, for messages. */
  readonly path: string;
  readonly size: number;
  /** Reads exactly `length` bytes at `position`; anything past the end of the image is corrupt. */
  read(position: number, length: number, what: string): Promise<Buffer>;
  close(): Promise<void>;
}

export function imageFile(path: string, handle: FileHandle, size: number): ImageFile {
  return {
    path,
    size,
    async read(position, length, what) {
      if (!Number.isSafeInteger(position) || position < 0 || position + length > size) {
        throw new IsoFormatError(
          'iso-corrupt',
          path,
          `${what} (${length} bytes at offset ${position}) lies beyond the end of the ${size}-byte image`,
        );
      }
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) {
          throw new IsoFormatError('iso-corrupt', path, `${what} ends early: the image shrank`);
        }
        done += bytesRead;
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}
