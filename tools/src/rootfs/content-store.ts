import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { ContentRef } from './nodes.ts';
import { sweepStaleTemps, tempName } from './store-temps.ts';
import { sha256Hex } from '../core/sha256.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Chunk size for reading and hashing store files. */
const CHUNK_BYTES = 1 << 20;
/** Where damaged files are moved, inside the store folder. */
export const CORRUPT_DIR = '.corrupt';
/** The fingerprints of files an earlier build checked, inside the store folder. */
export const FINGERPRINTS_FILE = '.fingerprints.json';
const FINGERPRINTS_VERSION = 1;
const SETTLED_MS = 2000;

/** Content of a file as the store takes it: whole, or in chunks that are never held together. */
export type Content = Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Where a stored content can be had again when its file in the store turns out to be damaged:
 * `describe` names it for the warning (`busybox-1.36.1-r29 (/cache/busybox.apk), /bin/busybox`).
 */
export interface ContentSource {
  readonly describe: string;
  content(): Content | Promise<Content>;
}

export interface ContentStoreOptions {
  /** Told when a damaged file was moved aside and written again; the build goes on. */
  readonly warn?: (message: string) => void;
  /**
   * How long a file must have stayed unchanged for remember() to keep its fingerprint: one
   * changed within the same time stamp tick would look unchanged. 2 s unless told.
   */
  readonly settledMs?: number;
}

/**
 * File contents by SHA-256: plain files named by their digest in one folder. A file appears
 * under its name only once it is complete (written to a temporary name that carries the
 * writer's pid, synced, renamed), so a crash or a concurrent writer never leaves a half-written
 * file under a digest; temporary files of processes that are gone are removed when the store is
 * first used.
 *
 * A file already in the store is checked against its digest before the build relies on it. A
 * damaged one is moved to `.corrupt/<digest>-<time>` and written again, from the bytes at hand
 * or from the `ContentSource` given when it was stored (its package, read again), with a
 * warning. Reads check the digest too; a file that changes while it is being streamed out
 * cannot be taken back and fails the read.
 */
export interface ContentStore {
  readonly dir: string;
  /** Stores the bytes unless a sound copy is already there. */
  put(bytes: Uint8Array, source?: ContentSource): Promise<ContentRef>;
  /**
   * Stores content that arrives in chunks without holding it whole: written to a temporary
   * file while it is hashed, then renamed to its digest.
   */
  putStream(chunks: AsyncIterable<Uint8Array>, source?: ContentSource): Promise<ContentRef>;
  /**
   * Relies on content stored by an earlier build, named by its ref: the file is checked against
   * its digest once in this build (written again from `source` when it is missing or damaged),
   * as a put would. Throws when it cannot be had.
   */
  claim(ref: ContentRef, source?: ContentSource): Promise<void>;
  /**
   * Whether a sound copy of the content is in the store, checked against its digest once in
   * this build; a missing or damaged one is left as it is (a put or claim repairs it).
   */
  holds(ref: ContentRef): Promise<boolean>;
  /** Where the content with this digest lives (whether or not it has been stored). */
  path(sha256: string): string;
  /**
   * Keeps the fingerprints (device, inode, size, modification and change times) of the files
   * checked so far in `.fingerprints.json`, so that a later build trusts a file whose
   * fingerprint is unchanged without hashing it again, as git trusts its index. Whatever reads
   * a content out of the store still checks its digest.
   */
  remember(): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The whole content, checked against its digest; for small files (see stream()). */
  read(sha256: string): Promise<Uint8Array>;
  /** The content in chunks of at most 1 MiB, checked against its digest. */
  stream(sha256: string): AsyncIterable<Uint8Array>;
}

/** The store's files are not what their names say and cannot be written again. */
export class ContentStoreError extends UserError {
  override name = 'ContentStoreError';

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('content-store-damaged', message, options);
  }
}

function checkDigest(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) {
    throw new ContentStoreError(`not a lowercase hex SHA-256: ${JSON.stringify(sha256)}`);
  }
  return sha256;
}

async function statOf(file: string): Promise<Stats | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Size, inode and change time: what tells that a file was rewritten since it was checked. */
function fingerprint(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

function changedAt(fingerprint: string): number {
  return Number(fingerprint.slice(fingerprint.lastIndexOf(':') + 1));
}

/** The fingerprints an earlier build kept; an unreadable or foreign file gives none. */
async function recallFingerprints(file: string): Promise<Map<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as {
      version?: unknown;
      files?: unknown;
    };
    if (parsed.version !== FINGERPRINTS_VERSION || typeof parsed.files !== 'object') {
      return new Map();
    }
    const files = Object.entries(parsed.files as Record<string, unknown>);
    return new Map(
      files.filter(
        (entry): entry is [string, string] =>
          SHA256_HEX.test(entry[0]) && typeof entry[1] === 'string',
      ),
    );
  } catch {
    return new Map();
  }
}

async function hashFile(file: string, size: number): Promise<string> {
  if (size <= CHUNK_BYTES) return sha256Hex(await readFile(file));
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

async function* chunksOf(content: Content): AsyncIterable<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else yield* content;
}

/** Writes chunks to `temp` (created exclusively), hashing them; returns the digest and size. */
async function writeTemp(
  temp: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(temp, 'wx', 0o644);
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
        written += bytesWritten;
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

export function createContentStore(dir: string, options: ContentStoreOptions = {}): ContentStore {
  let ready: Promise<unknown> | undefined;
  /** Fingerprints of files known to hold their digest's content, by digest. */
  const sound = new Map<string, string>();
  const sources = new Map<string, ContentSource>();
  const locks = new Map<string, Promise<unknown>>();
  const path = (sha256: string) => join(dir, checkDigest(sha256));
  const start = () => {
    ready ??= mkdir(dir, { recursive: true })
      .then(() => sweepStaleTemps(dir))
      .then(() => recallFingerprints(join(dir, FINGERPRINTS_FILE)))
      .then((recalled) => {
        for (const [sha256, print] of recalled) if (!sound.has(sha256)) sound.set(sha256, print);
      });
    return ready;
  };

  /** Writes chunks under their digest; `expected` is checked before the rename. */
  async function write(chunks: AsyncIterable<Uint8Array>, expected?: string): Promise<ContentRef> {
    await start();
    const temp = join(dir, tempName());
    try {
      const ref = await writeTemp(temp, chunks);
      if (expected !== undefined && ref.sha256 !== expected) return ref;
      await rename(temp, path(ref.sha256));
      const info = await statOf(path(ref.sha256));
      if (info !== undefined) sound.set(ref.sha256, fingerprint(info));
      return ref;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Moves a damaged file to `.corrupt/`; returns where it went. */
  async function moveAside(sha256: string): Promise<string> {
    const aside = join(dir, CORRUPT_DIR, `${sha256}-${Date.now()}`);
    await mkdir(join(dir, CORRUPT_DIR), { recursive: true });
    await rename(path(sha256), aside);
    sound.delete(sha256);
    return aside;
  }

  function damaged(sha256: string, actual: string | undefined): string {
    return actual === undefined
      ? `${path(sha256)} is no longer there`
      : `${path(sha256)} holds content with SHA-256 ${actual}, not the content it is named after`;
  }

  /** Moves the damaged file aside and writes it again from its source; throws without one. */
  async function repair(sha256: string, actual: string | undefined): Promise<void> {
    const source = sources.get(sha256);
    if (source === undefined) {
      throw new ContentStoreError(
        `${damaged(sha256, actual)}: the store was modified while this build used it`,
        { hint: `remove ${path(sha256)} and build again` },
      );
    }
    const aside = actual === undefined ? undefined : await moveAside(sha256);
    const ref = await write(chunksOf(await source.content()), sha256);
    if (ref.sha256 !== sha256) {
      throw new ContentStoreError(
        `${damaged(sha256, actual)}, and ${source.describe} now gives content with SHA-256 ${ref.sha256}`,
        {
          hint: `the package file changed since it was verified: remove it from the cache and build again`,
        },
      );
    }
    options.warn?.(
      `${damaged(sha256, actual)}: ${aside === undefined ? '' : `moved it to ${aside} and `}wrote it again from ${source.describe}`,
    );
  }

  /** Runs `work` after every earlier piece of work on the same digest has settled. */
  function exclusive<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    const run = (locks.get(sha256) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    locks.set(sha256, settled);
    void settled.then(() => {
      if (locks.get(sha256) === settled) locks.delete(sha256);
    });
    return run;
  }

  /**
   * Whether the file of `sha256`, as `info` found it, holds that content (and `size` bytes,
   * when given): by the fingerprint remembered for it, or else by hashing it, after which the
   * fingerprint is remembered unless the file changed meanwhile. When not, the digest found
   * (undefined when the size is already wrong).
   */
  async function inspect(
    sha256: string,
    info: Stats,
    size?: number,
  ): Promise<{ readonly sound: boolean; readonly actual?: string }> {
    if (sound.get(sha256) === fingerprint(info)) return { sound: true };
    if (size !== undefined && info.size !== size) return { sound: false };
    const actual = await hashFile(path(sha256), info.size);
    if (actual !== sha256) return { sound: false, actual };
    const after = await statOf(path(sha256));
    if (after === undefined || fingerprint(after) !== fingerprint(info)) return { sound: false };
    sound.set(sha256, fingerprint(info));
    return { sound: true };
  }

  /** Makes sure the file holds its content, repairing it if need be. */
  async function ensureSound(sha256: string): Promise<void> {
    const info = await statOf(path(sha256));
    if (info !== undefined && sound.get(sha256) === fingerprint(info)) return;
    await exclusive(sha256, async () => {
      const now = await statOf(path(sha256));
      const found = now === undefined ? { sound: false } : await inspect(sha256, now);
      if (!found.sound) await repair(sha256, found.actual);
    });
  }

  /** After a put: remembers the source, and replaces a damaged copy with the content at hand. */
  async function adopt(
    sha256: string,
    size: number,
    source: ContentSource | undefined,
    rewrite: () => Promise<unknown>,
  ): Promise<boolean> {
    if (source !== undefined && !sources.has(sha256)) sources.set(sha256, source);
    const info = await statOf(path(sha256));
    if (info === undefined) return false;
    const { sound: held, actual } = await inspect(sha256, info, size);
    if (held) return true;
    const aside = await moveAside(sha256);
    await rewrite();
    const problem =
      actual === undefined
        ? `held ${info.size} bytes, not the ${size} bytes it is named after`
        : `held content with SHA-256 ${actual}, not the content it is named after`;
    options.warn?.(
      `${path(sha256)} ${problem}: moved it to ${aside} and stored it again${source === undefined ? '' : ` from ${source.describe}`}`,
    );
    return true;
  }

  return {
    dir,
    path,
    async put(bytes, source) {
      const sha256 = sha256Hex(bytes);
      const store = () => write(chunksOf(bytes));
      await exclusive(sha256, async () => {
        if (!(await adopt(sha256, bytes.length, source, store))) await store();
      });
      return { sha256, size: bytes.length };
    },
    async putStream(chunks, source) {
      // The digest is known only at the end, so the content is written anyway; the rename
      // replaces whatever was under that name, damaged or not.
      const ref = await write(chunks);
      if (source !== undefined && !sources.has(ref.sha256)) sources.set(ref.sha256, source);
      return ref;
    },
    async claim(ref, source) {
      await start();
      if (source !== undefined && !sources.has(ref.sha256)) sources.set(ref.sha256, source);
      await ensureSound(checkDigest(ref.sha256));
    },
    async holds(ref) {
      await start();
      const info = await statOf(path(ref.sha256));
      return info !== undefined && (await inspect(ref.sha256, info, ref.size)).sound;
    },
    async has(sha256) {
      return (await statOf(path(sha256))) !== undefined;
    },
    async remember() {
      await start();
      const settled = Date.now() - (options.settledMs ?? SETTLED_MS);
      const files: Record<string, string> = {};
      for (const [sha256, print] of [...sound].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (changedAt(print) < settled) files[sha256] = print;
      }
      const temp = join(dir, tempName());
      try {
        await writeFile(temp, JSON.stringify({ version: FINGERPRINTS_VERSION, files }), {
          flag: 'wx',
        });
        await rename(temp, join(dir, FINGERPRINTS_FILE));
      } finally {
        await rm(temp, { force: true });
      }
    },
    async read(sha256) {
      await start();
      await ensureSound(sha256);
      for (let attempt = 0; ; attempt++) {
        const bytes = new Uint8Array(await readFile(path(sha256)));
        const actual = sha256Hex(bytes);
        if (actual === sha256) return bytes;
        sound.delete(sha256);
        if (attempt > 0) {
          throw new ContentStoreError(`${damaged(sha256, actual)}: it changed again`, {
            hint: 'something else writes into the build cache; stop it and build again',
          });
        }
        await repair(sha256, actual);
      }
    },
    async *stream(sha256) {
      await start();
      await ensureSound(sha256);
      const hash = createHash('sha256');
      const file = path(sha256);
      for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        yield bytes;
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        sound.delete(sha256);
        throw new ContentStoreError(
          `${damaged(sha256, actual)}: it changed while it was being read`,
          { hint: 'something else writes into the build cache; stop it and build again' },
        );
      }
    },
  };
}

/** Names of the files moved aside as damaged, for tests and housekeeping. */
export async function corruptFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, CORRUPT_DIR))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
