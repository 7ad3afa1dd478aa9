import { deserialize, serialize } from 'node:v8';
import type { VerifiedPackage } from '../backend/index.ts';
import { createLimiter } from '../fetch/limiter.ts';
import type {
  AddPackageOptions,
  ContentStore,
  ImageTree,
  InstalledEntry,
} from '../rootfs/index.ts';
import type { StageCache } from '../stage-cache/index.ts';

/** The stage cache artifact under which a package's installed entries are kept. */
export const PACKAGE_ENTRIES_ARTIFACT = 'package entries';
/** Bump when what InstalledEntry holds changes. */
const ENTRIES_FORMAT = 'installed-entries-1';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A value read back from the cache that has the shape installing relies on. */
function isInstalledEntries(value: unknown): value is InstalledEntry[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      if (typeof item !== 'object' || item === null) return false;
      const { entry, stored } = item as Partial<InstalledEntry>;
      if (typeof entry?.path !== 'string' || !Array.isArray(entry.flags)) return false;
      const isFile = entry.type === 'file' && !entry.flags.includes('ghost');
      if (!isFile) return stored === undefined;
      return (
        typeof stored?.sha256 === 'string' &&
        SHA256_HEX.test(stored.sha256) &&
        stored.size === entry.size
      );
    })
  );
}

function readBack(payload: Buffer): InstalledEntry[] | undefined {
  try {
    const value: unknown = deserialize(payload);
    return isInstalledEntries(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** How many stored contents are checked at once before a replay. */
const CHECKS_AT_ONCE = 8;

/** Whether the store still holds every content the entries name, each checked by its digest. */
async function storeHoldsAll(store: ContentStore, entries: readonly InstalledEntry[]) {
  const limiter = createLimiter(CHECKS_AT_ONCE);
  const checks = entries.flatMap(({ stored }) =>
    stored === undefined ? [] : [limiter.run(() => store.holds(stored))],
  );
  return (await Promise.all(checks)).every(Boolean);
}

/**
 * Installs the packages into the tree in order. The first build of a package file reads and
 * decompresses it and keeps the list of what it installed in the stage cache, keyed by the
 * verified package's SHA-256 (and, as every stage cache key, the builder's code). Later builds
 * replay that list: nothing is decompressed, and each file's content is checked in the content
 * store against its digest. A package whose contents the store no longer holds whole is read
 * again, which stores them again. Without a cache every package is read.
 */
export async function installPackages(
  tree: ImageTree,
  packages: readonly VerifiedPackage[],
  options: AddPackageOptions,
  cache: StageCache | undefined,
): Promise<void> {
  for (const pkg of packages) {
    if (cache === undefined) {
      await tree.addPackage(pkg, options);
      continue;
    }
    const key = cache.key(PACKAGE_ENTRIES_ARTIFACT, [
      ENTRIES_FORMAT,
      pkg.digest.algorithm,
      pkg.digest.hex,
    ]);
    const kept = await cache.recall(key);
    const replay = kept === undefined ? undefined : readBack(kept);
    if (kept !== undefined && replay !== undefined && (await storeHoldsAll(tree.store, replay))) {
      await tree.addPackage(pkg, { ...options, replay });
      cache.reused(PACKAGE_ENTRIES_ARTIFACT, kept.length);
      continue;
    }
    const installed: InstalledEntry[] = [];
    await tree.addPackage(pkg, { ...options, onEntry: (entry) => installed.push(entry) });
    await cache.keep(PACKAGE_ENTRIES_ARTIFACT, key, serialize(installed));
  }
}
