import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from '../core/atomic-file.ts';
import { sweepStaleTemps } from '../rootfs/store-temps.ts';

export interface TrimOutcome {
  /** Entries and bytes left. */
  readonly entries: number;
  readonly bytes: number;
  /** Entries and bytes removed, least recently used first. */
  readonly removed: number;
  readonly removedBytes: number;
}

interface Entry {
  readonly path: string;
  readonly bytes: number;
  readonly usedMs: number;
}

/** How many files are looked at at once. */
const PARALLEL_STATS = 64;

async function listOrNothing(dir: string): Promise<string[]> {
  return readdir(dir).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
}

/** Every entry file of the cache: `<dir>/<kind>/<fan-out>/<entry>`. */
async function entryPaths(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const kind of await listOrNothing(dir)) {
    for (const fanOut of await listOrNothing(join(dir, kind))) {
      const folder = join(dir, kind, fanOut);
      await sweepStaleTemps(folder).catch(() => []);
      for (const name of await listOrNothing(folder)) {
        if (!name.startsWith('.')) paths.push(join(folder, name));
      }
    }
  }
  return paths;
}

async function statAll(paths: readonly string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (let start = 0; start < paths.length; start += PARALLEL_STATS) {
    const batch = await Promise.all(
      paths.slice(start, start + PARALLEL_STATS).map(async (path) => {
        const info = await stat(path).catch(() => undefined);
        return info?.isFile() ? { path, bytes: info.size, usedMs: info.mtimeMs } : undefined;
      }),
    );
    entries.push(...batch.filter((entry) => entry !== undefined));
  }
  return entries;
}

/**
 * Removes entries of the stage cache in `dir`, least recently used (oldest modification time,
 * which a hit refreshes) first, until at most `maxBytes` are left; temporary files of writers
 * that are gone go too. Entries another build removes meanwhile are skipped.
 */
export async function trimStageCache(dir: string, maxBytes: number): Promise<TrimOutcome> {
  const entries = await statAll(await entryPaths(dir));
  entries.sort((a, b) => a.usedMs - b.usedMs || (a.path < b.path ? -1 : 1));
  let bytes = entries.reduce((total, entry) => total + entry.bytes, 0);
  let removed = 0;
  let removedBytes = 0;
  for (const entry of entries) {
    if (bytes <= maxBytes) break;
    await rm(entry.path, { force: true });
    bytes -= entry.bytes;
    removed += 1;
    removedBytes += entry.bytes;
  }
  return { entries: entries.length - removed, bytes, removed, removedBytes };
}
