/**
 * The fetch cache.
 *
 * ```
 * <cacheDir>/sha256/ab/ab12…         verified content, named by its SHA-256
 * <cacheDir>/refs/sha1/cd/cd34…      a file's SHA-256 and size, for lookups by another digest
 * <cacheDir>/refs/url/ef/ef56…       the same for the latest copy of a URL (named by the
 *                                    URL's SHA-256), for files fetched without a digest
 * <cacheDir>/tmp/                    downloads whose final name is not known yet
 * ```
 *
 * Every entry is re-verified when it is used, so a damaged or half-flushed file is never
 * returned: it is removed and fetched again.
 */

import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Reporter } from '../core/step.ts';
import type { Digest } from '../packages/model.ts';
import {
  isMissing,
  moveIntoPlace,
  temporaryName,
  temporarySibling,
  writeFileAtomic,
} from '../core/atomic-file.ts';
import { contentProblem, isSha256Hex, measureFile } from './digest.ts';
import type { Measurement } from './digest.ts';
import { sha256Hex } from '../core/sha256.ts';

export interface CacheHit {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
}

interface Ref {
  readonly sha256: string;
  readonly size: number;
}

/** What a committed file is also known by, besides its SHA-256. */
export interface CacheKeys {
  readonly digest?: Digest;
  readonly url?: string;
}

export interface ContentCache {
  readonly root: string;
  contentPath(sha256: string): string;
  /**
   * A fresh temporary path for a download, beside its final name when the SHA-256 is known.
   * Its folder is created by {@link ContentCache.preparePartial}, only when it is needed.
   */
  partialPath(expected: Digest | undefined): string;
  preparePartial(partial: string): Promise<void>;
  lookupByDigest(
    digest: Digest,
    size: number | undefined,
    label: string,
  ): Promise<CacheHit | undefined>;
  lookupByUrl(url: string, size: number | undefined, label: string): Promise<CacheHit | undefined>;
  /** Moves a measured, verified temporary file into place and records its other keys. */
  commit(partial: string, measured: Measurement, keys: CacheKeys): Promise<string>;
  /** Removes an entry (and its URL reference) that a later check found unusable. */
  discard(sha256: string, url: string | undefined): Promise<void>;
}

function shard(root: string, kind: string, hex: string): string {
  return join(root, kind, hex.slice(0, 2), hex);
}

async function readRef(path: string): Promise<Ref | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) {
      return undefined;
    }
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Ref>;
    if (
      typeof parsed.sha256 === 'string' &&
      isSha256Hex(parsed.sha256) &&
      Number.isSafeInteger(parsed.size)
    ) {
      return { sha256: parsed.sha256, size: parsed.size as number };
    }
  } catch {
    // An unreadable reference is treated like a missing one and removed below.
  }
  await rm(path, { force: true });
  return undefined;
}

export function createContentCache(root: string, reporter?: Reporter): ContentCache {
  const contentPath = (sha256: string): string => shard(root, 'sha256', sha256);
  const refPath = (kind: string, hex: string): string => shard(root, join('refs', kind), hex);
  const urlRefPath = (url: string): string => refPath('url', sha256Hex(url));

  /**
   * The entry if it still holds `sha256`, and matches `size` and `digest` when given. A
   * damaged entry is removed with its reference; a reference to the wrong entry is removed.
   */
  async function verifiedEntry(
    sha256: string,
    size: number | undefined,
    digest: Digest | undefined,
    label: string,
    refFile: string | undefined,
  ): Promise<CacheHit | undefined> {
    const file = contentPath(sha256);
    try {
      await stat(file);
    } catch (err) {
      if (!isMissing(err)) {
        throw err;
      }
      if (refFile !== undefined) {
        await rm(refFile, { force: true });
      }
      return undefined;
    }
    const measured = await measureFile(file, digest?.algorithm);
    if (measured.sha256 !== sha256) {
      reporter?.warn(
        `cached copy of ${label} at ${file} is damaged (sha256 digest is ${measured.sha256}); removing it and fetching it again`,
      );
      await rm(file, { force: true });
      if (refFile !== undefined) {
        await rm(refFile, { force: true });
      }
      return undefined;
    }
    const problem = contentProblem(measured, { size, digest });
    if (problem !== undefined) {
      // The entry is intact but not what was asked for: only a reference to it can be stale.
      reporter?.debug(`cached copy of ${label} at ${file} does not match: ${problem}`);
      if (refFile !== undefined) {
        await rm(refFile, { force: true });
      }
      return undefined;
    }
    return { file, sha256, size: measured.size };
  }

  return {
    root,
    contentPath,

    partialPath(expected) {
      return expected?.algorithm === 'sha256'
        ? temporarySibling(contentPath(expected.hex))
        : temporaryName(join(root, 'tmp'), 'download');
    },

    async preparePartial(partial) {
      await mkdir(dirname(partial), { recursive: true });
    },

    async lookupByDigest(digest, size, label) {
      if (digest.algorithm === 'sha256') {
        return verifiedEntry(digest.hex, size, undefined, label, undefined);
      }
      const refFile = refPath(digest.algorithm, digest.hex);
      const ref = await readRef(refFile);
      if (ref === undefined || (size !== undefined && ref.size !== size)) {
        return undefined;
      }
      return verifiedEntry(ref.sha256, ref.size, digest, label, refFile);
    },

    async lookupByUrl(url, size, label) {
      const refFile = urlRefPath(url);
      const ref = await readRef(refFile);
      if (ref === undefined || (size !== undefined && ref.size !== size)) {
        return undefined;
      }
      return verifiedEntry(ref.sha256, ref.size, undefined, label, refFile);
    },

    async discard(sha256, url) {
      await rm(contentPath(sha256), { force: true });
      if (url !== undefined) await rm(urlRefPath(url), { force: true });
    },

    async commit(partial, measured, keys) {
      const file = contentPath(measured.sha256);
      await moveIntoPlace(partial, file);
      const ref = `${JSON.stringify({ sha256: measured.sha256, size: measured.size })}\n`;
      if (keys.digest !== undefined && keys.digest.algorithm !== 'sha256') {
        await writeFileAtomic(refPath(keys.digest.algorithm, keys.digest.hex), ref);
      }
      if (keys.url !== undefined) {
        await writeFileAtomic(urlRefPath(keys.url), ref);
      }
      return file;
    },
  };
}
