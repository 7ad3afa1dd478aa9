import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trimStageCache } from './index.ts';
import { cacheIn, entryFiles, maker } from './stage-cache.support.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stage-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trimStageCache', () => {
  async function entry(folder: string, kind: string, name: string, bytes: number, ageS: number) {
    const fanOut = join(folder, kind, name.slice(0, 2));
    await mkdir(fanOut, { recursive: true });
    const path = join(fanOut, name);
    await writeFile(path, Buffer.alloc(bytes));
    const time = new Date(Date.now() - ageS * 1000);
    await utimes(path, time, time);
    return path;
  }

  it('removes the least recently used entries, of blocks and artifacts alike, down to the bound', async () => {
    const folder = join(dir, 'stages');
    const oldest = await entry(folder, 'blocks', 'aa01', 400, 400);
    const older = await entry(folder, 'artifacts', 'bb01', 300, 300);
    const recent = await entry(folder, 'blocks', 'cc01', 200, 200);
    const newest = await entry(folder, 'artifacts', 'aa02', 100, 100);

    const outcome = await trimStageCache(folder, 350);
    expect(outcome).toEqual({ entries: 2, bytes: 300, removed: 2, removedBytes: 700 });
    await expect(stat(oldest)).rejects.toThrow();
    await expect(stat(older)).rejects.toThrow();
    expect((await stat(recent)).size).toBe(200);
    expect((await stat(newest)).size).toBe(100);
  });

  it('counts a hit as a use: an old entry that was just read stays', async () => {
    const folder = join(dir, 'stages');
    const output = join(dir, 'out.img');
    const cache = cacheIn(folder);
    await cache.file('x', async () => ['kept'], output, maker(output, 'x'.repeat(100)).make);
    const [used] = await entryFiles(folder);
    const longAgo = new Date(Date.now() - 10_000_000);
    await utimes(used as string, longAgo, longAgo);
    const idle = await entry(folder, 'blocks', 'dd01', 100, 1000);

    await cacheIn(folder).file(
      'x',
      async () => ['kept'],
      output,
      async () => {},
    );
    await trimStageCache(folder, 200);
    expect((await stat(used as string)).isFile()).toBe(true);
    await expect(stat(idle)).rejects.toThrow();
  });

  it('removes temporary files of writers that are gone, leaving live ones', async () => {
    const folder = join(dir, 'stages');
    await entry(folder, 'blocks', 'ee01', 10, 10);
    const gone = join(folder, 'blocks', 'ee', '.tmp-999999999-0a');
    const mine = join(folder, 'blocks', 'ee', `.tmp-${process.pid}-0b`);
    await writeFile(gone, 'x');
    await writeFile(mine, 'x');
    expect(await trimStageCache(folder, 1 << 20)).toMatchObject({ entries: 1, removed: 0 });
    await expect(stat(gone)).rejects.toThrow();
    expect((await stat(mine)).isFile()).toBe(true);
  });

  it('is fine with a cache that does not exist yet', async () => {
    expect(await trimStageCache(join(dir, 'none'), 0)).toEqual({
      entries: 0,
      bytes: 0,
      removed: 0,
      removedBytes: 0,
    });
  });
});
