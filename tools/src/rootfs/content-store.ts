import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContentRef } from './nodes.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * File contents by SHA-256: plain files named by their digest in one folder. A file appears
 * under its name only once it is complete (written to a temporary name, synced, renamed), so a
 * crash or a concurrent writer never leaves a half-written file under a digest.
 */
export interface ContentStore {
  readonly dir: string;
  /** Stores the bytes unless a complete copy is already there. */
  put(bytes: Uint8Array): Promise<ContentRef>;
  /** Where the content with this digest lives (whether or not it has been stored). */
  path(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  /** The whole content, checked against its digest. */
  read(sha256: string): Promise<Uint8Array>;
  /** The content in chunks; the iteration fails at its end if the bytes do not match. */
  stream(sha256: string): AsyncIterable<Uint8Array>;
}

export class ContentStoreError extends Error {
  override name = 'ContentStoreError';
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkDigest(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) {
    throw new ContentStoreError(`not a lowercase hex SHA-256: ${JSON.stringify(sha256)}`);
  }
  return sha256;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeAtomically(file: string, temp: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

export function createContentStore(dir: string): ContentStore {
  let ready: Promise<unknown> | undefined;
  const path = (sha256: string) => join(dir, checkDigest(sha256));
  const mismatch = (sha256: string, actual: string) =>
    new ContentStoreError(
      `${path(sha256)} holds content with SHA-256 ${actual}: the store was modified; remove the file and build again`,
    );

  return {
    dir,
    path,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const file = path(sha256);
      if ((await sizeOf(file)) === bytes.length) return { sha256, size: bytes.length };
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
      try {
        await writeAtomically(file, temp, bytes);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, size: bytes.length };
    },
    async has(sha256) {
      return (await sizeOf(path(sha256))) !== undefined;
    },
    async read(sha256) {
      const bytes = new Uint8Array(await readFile(path(sha256)));
      const actual = sha256Of(bytes);
      if (actual !== sha256) throw mismatch(sha256, actual);
      return bytes;
    },
    async *stream(sha256) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path(sha256), { highWaterMark: 1 << 20 })) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        yield bytes;
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) throw mismatch(sha256, actual);
    },
  };
}
