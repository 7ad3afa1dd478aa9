import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { UserError } from './errors.ts';
import type { WrittenFolder } from './folder-errors.ts';
import { shellQuote } from './shell-quote.ts';
import type { Reporter } from './step.ts';

/** The lock (a folder, made atomically) inside each folder a build writes. */
export const LOCK_NAME = '.build.lock';
/** Who holds the lock, for the message another build prints; beside the lock, not in it. */
export const HOLDER_NAME = '.build.lock.holder';

/** A lock not refreshed for this long belongs to a build that died, and is taken over. */
const STALE_MS = 30_000;
const REFRESH_MS = 5_000;

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly command: string;
  readonly token: string;
}

export interface FolderLockOptions {
  readonly reporter: Pick<Reporter, 'info' | 'warn'>;
  /** How long to wait for another build to let go of the folder. */
  readonly waitMs: number;
  /** How often to look again while waiting. */
  readonly pollMs?: number;
}

export interface FolderLock {
  /** Lets go of the folder; later calls do nothing. */
  release(): Promise<void>;
  /** Set when another process took the lock over because this one did not refresh it in time. */
  readonly lost: Error | undefined;
}

async function readHolder(dir: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function describeHolder(holder: Holder | undefined): string {
  if (holder === undefined) return 'another build';
  return `process ${holder.pid} on ${holder.host}, since ${holder.since}: ${holder.command}`;
}

function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

async function tryLock(dir: string, onLost: (err: Error) => void) {
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, LOCK_NAME),
      realpath: false,
      stale: STALE_MS,
      update: REFRESH_MS,
      onCompromised: onLost,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw err;
  }
}

/**
 * Takes the lock of a folder a build writes. While another build holds it, says once that it
 * is waiting and for whom, and looks again every `pollMs`; after `waitMs` it gives up with a
 * UserError naming the folder and the holder. The lock is refreshed in the background, and
 * taken over by others only if it has not been refreshed for 30 s (its holder died).
 */
export async function lockFolder(
  folder: WrittenFolder,
  options: FolderLockOptions,
): Promise<FolderLock> {
  const { dir } = folder;
  const deadline = Date.now() + options.waitMs;
  let lost: Error | undefined;
  const onLost = (err: Error) => {
    lost = err;
    options.reporter.warn(`another process took over the lock of ${dir}: ${err.message}`);
  };
  let waiting = false;
  for (;;) {
    const release = await tryLock(dir, onLost);
    if (release !== undefined) return held(dir, release, () => lost);
    const holder = await readHolder(dir);
    if (Date.now() >= deadline) {
      throw new UserError(
        'folder-busy',
        `the ${folder.role} ${dir} is still in use by ${describeHolder(holder)}, after waiting ${duration(options.waitMs)}`,
        {
          hint: `let that build finish, or ${folder.elsewhere} (the lock of a build that died is taken over ${STALE_MS / 1000} s after it stopped)`,
        },
      );
    }
    if (!waiting) {
      options.reporter.info(`waiting for the build holding ${dir} (${describeHolder(holder)})…`);
      waiting = true;
    }
    await sleep(Math.min(options.pollMs ?? 1000, Math.max(0, deadline - Date.now())));
  }
}

async function held(
  dir: string,
  release: () => Promise<void>,
  lost: () => Error | undefined,
): Promise<FolderLock> {
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: shellQuote([basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)]),
    token: randomBytes(8).toString('hex'),
  };
  const holderFile = join(dir, HOLDER_NAME);
  await writeFile(holderFile, `${JSON.stringify(holder)}\n`);
  // The lock itself is removed on exit by proper-lockfile; this removes the holder with it.
  const onExit = () => {
    try {
      if (readFileSync(holderFile, 'utf8').includes(holder.token)) rmSync(holderFile);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', onExit);
  let released = false;
  return {
    get lost() {
      return lost();
    },
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      if ((await readHolder(dir))?.token === holder.token) await rm(holderFile, { force: true });
      if (lost() === undefined) await release();
    },
  };
}

/**
 * Runs `fn` holding the folder's lock (see {@link lockFolder}). If the lock was taken over
 * while `fn` ran, the run fails: another build may have written the folder meanwhile.
 */
export async function withFolderLock<T>(
  folder: WrittenFolder,
  options: FolderLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await lockFolder(folder, options);
  let result: T;
  try {
    result = await fn();
  } finally {
    await lock.release();
  }
  if (lock.lost !== undefined) {
    throw new UserError(
      'folder-lock-lost',
      `another build took over the ${folder.role} ${folder.dir} while this one ran (${lock.lost.message})`,
      { hint: 'run one build per folder at a time, and build again', cause: lock.lost },
    );
  }
  return result;
}
