import { readNativeTree } from './native.ts';
import type { SquashfsEntry } from './types.ts';

/**
 * Reads every entry of the squashfs image at `image` back through libsquashfs, sorted by path,
 * with each regular file's content hashed (SHA-256) as it is decompressed. The reading runs on
 * the libuv pool, so two images are read at once. A file that is not a squashfs image, or a
 * damaged one, rejects with a message that names it.
 */
export function readSquashfsTree(image: string): Promise<SquashfsEntry[]> {
  return readNativeTree(image);
}
