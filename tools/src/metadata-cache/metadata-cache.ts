import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InternalError, messageOf } from '../core/errors.ts';
import type { Reporter } from '../core/step.ts';
import { PARTIAL_SUFFIX, isMissing, writeFileAtomic } from '../core/atomic-file.ts';
import { decodeCacheFile, encodeCacheFile, keyDigest } from './cache-file.ts';

/** One parse whose result may be kept between runs. */
export interface CachedParse<T> {
  /** What is parsed, as a file-name word: `rpm-primary`, `apk-catalog`. */
  readonly kind: string;
  /**
   * Which repository: each kind has one file per slot, replaced when its key changes, so
   * that a repository's old metadata does not pile up.
   */
  readonly slot: string;
  /**
   * Everything the parsed value depends on: the digest of the verified bytes, the parser
   * version, and whatever the parser copies into its output (a repository name, a filter).
   */
  readonly key: readonly string[];
  /** For messages: `primary metadata of baseos`. */
  readonly what: string;
  /** A last check of a value read back, against a file that is well-formed but not ours. */
  accept(value: unknown): value is T;
  /** Parses the verified bytes; its failure is the caller's, and nothing is kept. */
  parse(): Promise<T>;
  /** Asked after a parse: false leaves the value unkept (its inputs moved while it was made). */
  keep?(value: T): boolean;
}

/**
 * Parsed repository metadata kept between runs, like dnf's libsolv `.solv` files. It never
 * replaces a check: callers verify the index (signature, checksums) first and key the
 * cache by the digest of what they verified; only the parsing of those bytes is skipped.
 */
export interface MetadataCache {
  /** The value kept under the key, or what `parse` returns (then kept for next time). */
  remember<T>(entry: CachedParse<T>): Promise<T>;
}

/** No cache: every parse runs. */
export const parseEveryTime: MetadataCache = {
  remember: (entry) => entry.parse(),
};

/** The cache folder inside a backend's state folder. */
export function metadataCacheDir(stateDir: string): string {
  return join(stateDir, 'parsed-metadata');
}

const KIND = /^[a-z][a-z0-9-]*$/;

function fileOf(dir: string, entry: CachedParse<unknown>): string {
  if (!KIND.test(entry.kind)) throw new InternalError(`bad metadata cache kind ${entry.kind}`);
  const slot = createHash('sha256').update(entry.slot).digest('hex').slice(0, 24);
  return join(dir, `${entry.kind}-${slot}.v8`);
}

/** How old a temporary file must be before it counts as left by a run that was killed. */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Removes the temporary files a killed run left beside `file` (`.<name>.<random>.part`); one
 * younger than ABANDONED_AFTER_MS may still be written by a run going on now, and stays.
 */
async function sweepAbandoned(file: string, now = Date.now()): Promise<void> {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(PARTIAL_SUFFIX)) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info !== undefined && now - info.mtimeMs > ABANDONED_AFTER_MS) {
      await rm(join(dir, name), { force: true });
    }
  }
}

/**
 * A cache in `dir`. A file that is missing, damaged, truncated, of another format or made for
 * another key is parsed again and replaced. A file that cannot be written leaves a warning
 * (once) and the parse result is used all the same.
 */
export function createMetadataCache(
  dir: string,
  reporter: Pick<Reporter, 'warn' | 'debug'>,
): MetadataCache {
  let warned = false;

  async function read<T>(
    file: string,
    key: Buffer,
    entry: CachedParse<T>,
  ): Promise<{ readonly value: T } | { readonly stale?: string }> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      return isMissing(error) ? {} : { stale: messageOf(error) };
    }
    const decoded = decodeCacheFile(bytes, key);
    if (!decoded.ok) return { stale: decoded.reason };
    return entry.accept(decoded.value)
      ? { value: decoded.value }
      : { stale: 'it holds something else' };
  }

  async function write(file: string, key: Buffer, value: unknown, what: string): Promise<void> {
    try {
      await sweepAbandoned(file);
      await writeFileAtomic(file, encodeCacheFile(key, value));
    } catch (error) {
      if (warned) return;
      warned = true;
      reporter.warn(
        `cannot keep the parsed ${what} in ${dir} (${messageOf(error)}): it is parsed again on every run`,
      );
    }
  }

  return {
    async remember<T>(entry: CachedParse<T>): Promise<T> {
      const file = fileOf(dir, entry);
      const key = keyDigest([entry.kind, entry.slot, ...entry.key]);
      const found = await read(file, key, entry);
      if ('value' in found) return found.value;
      if (found.stale !== undefined) {
        reporter.debug(`parsing the ${entry.what} again: ${file}: ${found.stale}`);
      }
      const value = await entry.parse();
      if (entry.keep?.(value) !== false) await write(file, key, value, entry.what);
      return value;
    },
  };
}
