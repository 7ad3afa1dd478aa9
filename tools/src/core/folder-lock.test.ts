import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from './errors.ts';
import { exitCodeFor } from './format-error.ts';
import { HOLDER_NAME, LOCK_NAME, lockFolder, withFolderLock } from './folder-lock.ts';
import type { WrittenFolder } from './folder-errors.ts';

let dir: string;
let folder: WrittenFolder;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'folder-lock-'));
  folder = { dir, role: 'output folder', elsewhere: 'pass another --out' };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    reporter: {
      info: (line: string) => lines.push(line),
      warn: (line: string) => lines.push(line),
    },
  };
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('withFolderLock', () => {
  it('lets a second build into the same folder start only when the first has finished', async () => {
    const events: string[] = [];
    const second = recorder();
    const build = (name: string) => async () => {
      events.push(`${name} starts`);
      await pause(150);
      events.push(`${name} ends`);
      return name;
    };
    const first = withFolderLock(
      folder,
      { ...recorder(), waitMs: 5000, pollMs: 20 },
      build('first'),
    );
    await pause(30);
    const next = withFolderLock(folder, { ...second, waitMs: 5000, pollMs: 20 }, build('second'));
    expect(await Promise.all([first, next])).toEqual(['first', 'second']);
    expect(events).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
    expect(second.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^waiting for the build holding ${dir} \\(process ${process.pid} on .*\\)…$`),
      ),
    ]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives up after the wait, naming the folder and the build holding it', async () => {
    const held = await lockFolder(folder, { ...recorder(), waitMs: 0 });
    try {
      const failure = await withFolderLock(folder, { ...recorder(), waitMs: 100, pollMs: 20 }, () =>
        Promise.resolve('never'),
      ).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(UserError);
      const error = failure as UserError;
      expect(error.code).toBe('folder-busy');
      expect(error.message).toContain(
        `the output folder ${dir} is still in use by process ${process.pid}`,
      );
      expect(error.hint).toContain('pass another --out');
      expect(error.hint).toContain('the lock of a build that died is taken over 30 s after');
      expect(exitCodeFor(error)).toBe(2);
    } finally {
      await held.release();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('releases the folder when the build fails', async () => {
    await expect(
      withFolderLock(folder, { ...recorder(), waitMs: 0 }, () =>
        Promise.reject(new Error('broke')),
      ),
    ).rejects.toThrow('broke');
    const again = await lockFolder(folder, { ...recorder(), waitMs: 0 });
    await again.release();
  });

  it('takes over the lock of a build killed outright once it has not been refreshed for 30 s', async () => {
    const left = join(dir, LOCK_NAME);
    await mkdir(left);
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(left, minuteAgo, minuteAgo);
    const lock = await lockFolder(folder, { ...recorder(), waitMs: 0 });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the holder it finds beside the lock', async () => {
    const held = await lockFolder(folder, { ...recorder(), waitMs: 0 });
    expect(await readdir(dir)).toEqual(expect.arrayContaining([LOCK_NAME, HOLDER_NAME]));
    await held.release();
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
