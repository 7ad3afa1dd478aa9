import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processIsRunning } from '../core/process-alive.ts';

/** `.tmp-<pid>-<random>`: the pid tells a later process whether the writer is still alive. */
const TEMP_NAME = /^\.tmp-(\d+)-[0-9a-f]+$/;

/** A fresh temporary name for this process. */
export function tempName(): string {
  return `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Removes the temporary files in `dir` whose writer is gone (killed, crashed, powered off);
 * those of running processes, this one included, are left alone. Returns the names removed.
 */
export async function sweepStaleTemps(
  dir: string,
  alive: (pid: number) => boolean = processIsRunning,
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
