import { checkContent, streamContent } from './content.ts';
import type { NativeWriter } from './native.ts';
import { quote } from './paths.ts';
import type { FileNode } from './tree.ts';
import type { StoredFile } from './types.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A stored file queued for the image. */
export interface StoredItem {
  readonly path: string;
  readonly node: FileNode;
  readonly stored: StoredFile;
}

export function isStoredFile(content: unknown): content is StoredFile {
  return (
    typeof content === 'object' &&
    content !== null &&
    (content as { kind?: unknown }).kind === 'stored'
  );
}

/** Throws a TypeError naming the image path unless `stored` is a well-formed StoredFile. */
export function checkStoredFile(path: string, stored: StoredFile): void {
  const { file, size, sha256, otherwise } = stored;
  const problem =
    typeof file !== 'string' || !file.startsWith('/') || file.includes('\0')
      ? 'file must be an absolute path'
      : !Number.isSafeInteger(size) || size < 0
        ? 'size must be a whole number of bytes'
        : typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)
          ? 'sha256 must be 64 lowercase hex digits'
          : otherwise !== undefined && typeof otherwise !== 'function'
            ? 'otherwise must be a function'
            : undefined;
  if (problem !== undefined) {
    throw new TypeError(`squashfs: stored content of ${quote(path)}: ${problem}`);
  }
}

function digestsOf(items: readonly StoredItem[]): Uint8Array {
  const digests = Buffer.alloc(items.length * 32);
  items.forEach((item, index) => digests.write(item.stored.sha256, index * 32, 'hex'));
  return digests;
}

/**
 * Writes the items in order, the addon reading and checking each file. A file that does not
 * hold its content is written from its `otherwise()` instead, or fails naming both paths.
 */
export async function writeStoredItems(
  native: NativeWriter,
  items: readonly StoredItem[],
): Promise<void> {
  let start = 0;
  while (start < items.length) {
    const rest = items.slice(start);
    const outcome = await native.writeStoredFiles(
      rest.map((item) => item.stored.file),
      digestsOf(rest),
      rest.map((item) => item.stored.size),
    );
    outcome.slots.forEach((slot, index) => {
      (rest[index] as StoredItem).node.slot = slot;
    });
    if (outcome.stoppedAt < 0) return;
    const item = rest[outcome.stoppedAt] as StoredItem;
    if (item.stored.otherwise === undefined) {
      throw new Error(`content of ${quote(item.path)}: ${outcome.reason}`);
    }
    const content = await item.stored.otherwise();
    checkContent(item.path, content);
    item.node.slot = await streamContent(native, item.path, content);
    start += outcome.stoppedAt + 1;
  }
}
