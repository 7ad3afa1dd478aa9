import { readNativeTree } from './native.ts';
import type { SquashfsEntry, SquashfsFileLayout, SquashfsLayout } from './types.ts';

/**
 * Reads every entry of the squashfs image at `image` back through libsquashfs, sorted by path,
 * with each regular file's content hashed (SHA-256) as it is decompressed. The reading runs on
 * the libuv pool, so two images are read at once. A file that is not a squashfs image, or a
 * damaged one, rejects with a message that names it.
 */
export async function readSquashfsTree(image: string): Promise<SquashfsEntry[]> {
  const { entries } = await readNativeTree(image, true);
  return entries.map(
    ({ storedBlocks: _blocks, fragment: _fragment, tail: _tail, ...entry }) => entry,
  );
}

/**
 * Where the data of each regular file of an image sits: the stored size of its blocks and
 * its tail in a fragment block, with every fragment block's stored size. Only the tables are
 * read, nothing is decompressed: what a build reads to say what each package costs the image.
 */
export async function readSquashfsLayout(image: string): Promise<SquashfsLayout> {
  const { blockSize, entries, fragments } = await readNativeTree(image, false);
  const files = entries.flatMap((entry): SquashfsFileLayout[] =>
    entry.type === 'file'
      ? [
          {
            path: entry.path,
            inode: entry.inode,
            size: entry.size ?? 0,
            storedBlocks: entry.storedBlocks ?? 0,
            fragment: entry.fragment ?? -1,
            tail: entry.tail ?? 0,
          },
        ]
      : [],
  );
  return { blockSize, files, fragments };
}
