import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { explainingFolderErrors } from '../core/folder-errors.ts';
import { lockFolder, withFolderLock } from '../core/folder-lock.ts';
import type { FolderLockOptions } from '../core/folder-lock.ts';
import { withInterruptCleanup } from '../core/interrupt.ts';
import type { Reporter } from '../core/step.ts';
import { cacheFolder, outputFolder, temporaryFolder } from './folder-roles.ts';
import { assertFreeSpace, estimateIsoBytes, spaceNeeds } from './free-space.ts';
import type { FreeSpace } from './free-space.ts';
import { prepareWritableFolder } from './output-folder.ts';
import type { FolderFs } from './output-folder.ts';
import { createWorkFolder, sweepStaleWorkFolders } from './work-folder.ts';

/** Where a build writes. */
export interface BuildFolders {
  /** The published artifacts (`--out`). */
  readonly out: string;
  /** The download and content cache (`--cache`), which builds share. */
  readonly cache: string;
  /** Where the work folder is made (TMPDIR). */
  readonly temp: string;
}

export interface BuildSession {
  /** This build's scratch folder, removed when the build ends, fails or is interrupted. */
  readonly workDir: string;
  /** Lets other builds write the cache; call it once this build no longer writes there. */
  releaseCache(): Promise<void>;
}

export interface BuildFolderOptions {
  readonly reporter: Pick<Reporter, 'info' | 'warn'>;
  /** How long to wait for a build holding the same output folder or cache; 15 min by default. */
  readonly lockWaitMs?: number;
  readonly lockPollMs?: number;
  readonly freeSpace?: FreeSpace;
  readonly fs?: FolderFs;
}

const LOCK_WAIT_MS = 15 * 60_000;

/**
 * Runs `build` with everything a build needs from its folders, so that it fails before any
 * work if it cannot finish, and leaves nothing behind:
 *
 * 1. the output folder, the cache and TMPDIR are writable folders with room for an ISO;
 * 2. the output folder is locked for the whole build, the cache until `releaseCache`, so a
 *    second build into either waits (saying for whom) and then fails naming the holder;
 * 3. work folders of builds whose process is gone are removed, and a new one is made;
 * 4. on SIGINT or SIGTERM the work folder is removed and the process exits 130 or 143.
 *
 * A read-only file system, missing permission, a file in the way or a full disk on any of
 * these folders, then or later, becomes a UserError naming the folder.
 */
export async function inBuildFolders<T>(
  id: string,
  folders: BuildFolders,
  options: BuildFolderOptions,
  build: (session: BuildSession) => Promise<T>,
): Promise<T> {
  const out = outputFolder(folders.out);
  const cache = cacheFolder(folders.cache);
  const temp = temporaryFolder(folders.temp);
  // The innermost folder first, as the output folder or the cache may be under TMPDIR.
  const written = [out, cache, temp].sort((a, b) => b.dir.length - a.dir.length);
  const locking: FolderLockOptions = {
    reporter: options.reporter,
    waitMs: options.lockWaitMs ?? LOCK_WAIT_MS,
    ...(options.lockPollMs === undefined ? {} : { pollMs: options.lockPollMs }),
  };
  let workDir: string | undefined;
  const removeWork = () => {
    if (workDir === undefined) return undefined;
    rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
    return `removed the work folder ${workDir}`;
  };
  return withInterruptCleanup(removeWork, () =>
    explainingFolderErrors(written, async () => {
      for (const folder of [out, cache, temp]) await prepareWritableFolder(folder, options.fs);
      await assertFreeSpace(
        spaceNeeds(estimateIsoBytes(0), { out, work: temp }),
        options.freeSpace,
      );
      return withFolderLock(out, locking, async () => {
        const cacheLock = await lockFolder(cache, locking);
        try {
          for (const removed of await sweepStaleWorkFolders(folders.temp, id)) {
            options.reporter.info(`removed the work folder of an earlier build: ${removed}`);
          }
          workDir = await createWorkFolder(folders.temp, id);
          try {
            return await build({ workDir, releaseCache: () => cacheLock.release() });
          } finally {
            await rm(workDir, { recursive: true, force: true });
            workDir = undefined;
          }
        } finally {
          await cacheLock.release();
        }
      });
    }),
  );
}
