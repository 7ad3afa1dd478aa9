import { closeSync, linkSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentChunks } from '../packages/content.ts';
import type { StreamedEntry } from '../packages/model.ts';

export interface WrittenEntries {
  readonly entries: number;
  readonly bytes: number;
  /** Device nodes, FIFOs and sockets: counted, not made. */
  readonly notMade: number;
}

/**
 * Writes a package's entries under `out` as `tar -x` does, each file's content as it streams
 * (a content that fails its digest throws after its last chunk, and so does the whole write).
 */
/** Writes the whole chunk (a write may take less than it is given); returns its length. */
function writeAll(fd: number, chunk: Uint8Array): number {
  for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at);
  return chunk.length;
}

export async function writeEntries(
  entries: AsyncIterable<StreamedEntry>,
  out: string,
): Promise<WrittenEntries> {
  const folders = new Set<string>([out]);
  const folder = (path: string, mode?: number) => {
    if (folders.has(path)) return;
    mkdirSync(path, { recursive: true, ...(mode === undefined ? {} : { mode }) });
    folders.add(path);
  };
  let count = 0;
  let bytes = 0;
  let notMade = 0;
  for await (const { entry, content } of entries) {
    count += 1;
    const path = join(out, entry.path);
    if (entry.type === 'directory') {
      folder(path, entry.mode);
      continue;
    }
    folder(dirname(path));
    switch (entry.type) {
      case 'file':
        {
          const fd = openSync(path, 'w', entry.mode);
          try {
            for await (const chunk of content === undefined ? [] : contentChunks(content)) {
              bytes += writeAll(fd, chunk);
            }
          } finally {
            closeSync(fd);
          }
        }
        break;
      case 'symlink':
        symlinkSync(entry.linkTarget ?? '', path);
        break;
      case 'hardlink':
        linkSync(join(out, entry.linkTarget ?? ''), path);
        break;
      default:
        notMade += 1;
    }
  }
  return { entries: count, bytes, notMade };
}
