import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processIsRunning } from '../core/process-alive.ts';

/** The file in a work folder that names the process building there. */
export const OWNER_FILE = '.owner';

/** Work folders from before owners were recorded are left alone this long after their last change. */
const UNOWNED_GRACE_MS = 60 * 60 * 1000;

interface WorkFolderOwner {
  readonly pid: number;
  readonly host: string;
}

const prefixOf = (id: string) => `${id}-build-`;

/** A fresh `<id>-build-*` folder under `parent`, recording this process as its owner. */
export async function createWorkFolder(parent: string, id: string): Promise<string> {
  const dir = await mkdtemp(join(parent, prefixOf(id)));
  const owner: WorkFolderOwner = { pid: process.pid, host: hostname() };
  await writeFile(join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return dir;
}

async function readOwner(dir: string): Promise<WorkFolderOwner | undefined> {
  try {
    const owner = JSON.parse(
      await readFile(join(dir, OWNER_FILE), 'utf8'),
    ) as Partial<WorkFolderOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return { pid: owner.pid, host: owner.host };
  } catch {
    return undefined;
  }
}

export interface SweepOptions {
  readonly isRunning?: (pid: number) => boolean;
  readonly host?: string;
  readonly now?: number;
}

/** Why a work folder is stale, or undefined when its build may still be running. */
async function staleness(
  dir: string,
  options: Required<SweepOptions>,
): Promise<string | undefined> {
  const owner = await readOwner(dir);
  if (owner === undefined) {
    const { mtimeMs } = await stat(dir);
    return options.now - mtimeMs > UNOWNED_GRACE_MS ? 'no owner recorded' : undefined;
  }
  if (owner.host !== options.host || owner.pid === process.pid) return undefined;
  return options.isRunning(owner.pid) ? undefined : `process ${owner.pid} is gone`;
}

/**
 * Removes the `<id>-build-*` folders under `parent` whose build is gone: the process their
 * owner file names no longer runs on this host, or (left by older builds) they have no owner
 * file and have not changed for an hour. Folders it cannot read are left alone. Returns what it
 * removed, with the reason.
 */
export async function sweepStaleWorkFolders(
  parent: string,
  id: string,
  options: SweepOptions = {},
): Promise<string[]> {
  const settings: Required<SweepOptions> = {
    isRunning: options.isRunning ?? processIsRunning,
    host: options.host ?? hostname(),
    now: options.now ?? Date.now(),
  };
  const removed: string[] = [];
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names.filter((entry) => entry.startsWith(prefixOf(id)))) {
    const dir = join(parent, name);
    try {
      if (!(await stat(dir)).isDirectory()) continue;
      const reason = await staleness(dir, settings);
      if (reason === undefined) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(`${dir} (${reason})`);
    } catch {
      // Another user's folder, or one that went away meanwhile: not ours to sweep.
    }
  }
  return removed;
}
