import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { IsoImage } from '../iso9660-reader/index.ts';
import type { DiffEntry } from './entries.ts';

async function hashOf(iso: IsoImage, path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await iso.createReadStream(path, { chunkSize: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Every entry of the image's tree (Rock Ridge names when it has them), files hashed. */
export async function isoEntries(iso: IsoImage): Promise<DiffEntry[]> {
  const entries: DiffEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await iso.list(dir)) {
      const path = `${dir === '/' ? '' : dir}/${entry.name}`;
      const mode = entry.mode === undefined ? {} : { mode: entry.mode & 0o7777 };
      if (entry.type === 'directory') {
        entries.push({ path, type: 'directory', ...mode });
        await walk(path);
      } else if (entry.type === 'symlink') {
        entries.push({ path, type: 'symlink', target: entry.target ?? '', ...mode });
      } else {
        entries.push({
          path,
          type: 'file',
          size: entry.size,
          sha256: await hashOf(iso, path),
          ...mode,
        });
      }
    }
  };
  await walk('/');
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Copies one file of the image out, for the readers that want a file (squashfs). */
export async function extractIsoFile(iso: IsoImage, path: string, to: string): Promise<void> {
  await pipeline(await iso.createReadStream(path, { chunkSize: 1 << 20 }), createWriteStream(to));
}

/** One file of the image, whole; for UKIs and the initramfs. */
export async function readIsoFile(iso: IsoImage, path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await iso.createReadStream(path, { chunkSize: 1 << 20 })) {
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
