import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processIsRunning } from '../core/process-alive.ts';
import { OWNER_FILE, createWorkFolder, sweepStaleWorkFolders } from './work-folder.ts';

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'work-folder-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** The id of a process that has run and ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((ended) => child.on('exit', ended));
  const pid = child.pid ?? 0;
  expect(processIsRunning(pid)).toBe(false);
  return pid;
}

async function folderOwnedBy(name: string, owner: { pid: number; host: string } | undefined) {
  const dir = join(temp, name);
  await mkdir(dir);
  await writeFile(join(dir, 'squashfs.img'), 'half written');
  if (owner !== undefined) await writeFile(join(dir, OWNER_FILE), JSON.stringify(owner));
  return dir;
}

describe('createWorkFolder', () => {
  it('makes an <id>-build- folder naming this process as its owner', async () => {
    const dir = await createWorkFolder(temp, 'acornos');
    expect(dir).toMatch(new RegExp(`^${temp}/acornos-build-`));
    expect(JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
    });
  });
});

describe('sweepStaleWorkFolders', () => {
  it('removes the folders of builds whose process is gone and keeps those still running', async () => {
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const dead = await endedPid();
      const host = hostname();
      const gone = await folderOwnedBy('acornos-build-gone', { pid: dead, host });
      await folderOwnedBy('acornos-build-alive', { pid: running.pid ?? 0, host });
      await folderOwnedBy('acornos-build-mine', { pid: process.pid, host });
      await folderOwnedBy('acornos-build-elsewhere', { pid: dead, host: `not-${host}` });
      await folderOwnedBy('acornos-build-young', undefined);
      const old = await folderOwnedBy('acornos-build-old', undefined);
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      await utimes(old, twoHoursAgo, twoHoursAgo);
      await folderOwnedBy('levitateos-build-gone', { pid: dead, host });

      const removed = await sweepStaleWorkFolders(temp, 'acornos');

      expect(removed.sort()).toEqual([
        `${gone} (process ${dead} is gone)`,
        `${old} (no owner recorded)`,
      ]);
      expect((await readdir(temp)).sort()).toEqual([
        'acornos-build-alive',
        'acornos-build-elsewhere',
        'acornos-build-mine',
        'acornos-build-young',
        'levitateos-build-gone',
      ]);
    } finally {
      running.kill();
    }
  });

  it('finds nothing to do in a missing folder', async () => {
    expect(await sweepStaleWorkFolders(join(temp, 'missing'), 'acornos')).toEqual([]);
  });
});
