import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTRY_HEADER_BYTES, builderFingerprint } from './index.ts';
import { cacheIn, entryFiles, maker } from './stage-cache.support.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stage-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StageCache.file', () => {
  it('makes an artifact once, then copies it for the same inputs and makes it for others', async () => {
    const cache = cacheIn(join(dir, 'stages'));
    const output = join(dir, 'out.img');
    const first = maker(output, 'made from a');
    await cache.file('image', async () => ['a', 1, new Uint8Array([1])], output, first.make);
    await rm(output);
    await cache.file('image', async () => ['a', 1, new Uint8Array([1])], output, first.make);
    expect(first.runs).toBe(1);
    expect(await readFile(output, 'utf8')).toBe('made from a');

    const other = maker(output, 'made from b');
    await cache.file('image', async () => ['a', 1, new Uint8Array([2])], output, other.make);
    await cache.file('other image', async () => ['a', 1, new Uint8Array([1])], output, other.make);
    expect(other.runs).toBe(2);
    expect(cache.outcomes.map((outcome) => outcome.outcome)).toEqual([
      'miss',
      'hit',
      'miss',
      'miss',
    ]);
  });

  it('keeps artifacts of another builder apart', async () => {
    const output = join(dir, 'out.img');
    const made = maker(output, 'old builder');
    await cacheIn(join(dir, 'stages'), [], 'builder-1').file(
      'x',
      async () => ['in'],
      output,
      made.make,
    );
    await cacheIn(join(dir, 'stages'), [], 'builder-2').file(
      'x',
      async () => ['in'],
      output,
      made.make,
    );
    expect(made.runs).toBe(2);
  });

  it.each([
    ['a flipped payload byte', (bytes: Buffer) => bytes.fill(0x21, bytes.length - 1)],
    ['a cut-off payload', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1)],
    ['a cut-off header', (bytes: Buffer) => bytes.subarray(0, ENTRY_HEADER_BYTES - 1)],
    ['an empty file', () => Buffer.alloc(0)],
  ])('makes the artifact again over %s, never using it', async (_name, damage) => {
    const folder = join(dir, 'stages');
    const output = join(dir, 'out.img');
    const made = maker(output, 'the real artifact');
    await cacheIn(folder).file('x', async () => ['in'], output, made.make);
    const [entry] = await entryFiles(folder);
    await writeFile(entry as string, damage(await readFile(entry as string)));

    const again = cacheIn(folder);
    await again.file('x', async () => ['in'], output, made.make);
    expect(made.runs).toBe(2);
    expect(await readFile(output, 'utf8')).toBe('the real artifact');
    expect(again.outcomes).toEqual([{ artifact: 'x', outcome: 'rejected', bytes: 17 }]);

    const repaired = cacheIn(folder);
    await repaired.file('x', async () => ['in'], output, made.make);
    expect(repaired.outcomes[0]?.outcome).toBe('hit');
  });

  it('refuses a sound entry renamed to another key', async () => {
    const folder = join(dir, 'stages');
    const output = join(dir, 'out.img');
    const cache = cacheIn(folder);
    await cache.file('x', async () => ['a'], output, maker(output, 'from a').make);
    const [entryA] = await entryFiles(folder);
    await cache.file('x', async () => ['b'], output, maker(output, 'from b').make);
    const entryB = (await entryFiles(folder)).find((file) => file !== entryA) as string;
    await writeFile(entryB, await readFile(entryA as string));

    const b = maker(output, 'from b');
    await cache.file('x', async () => ['b'], output, b.make);
    expect(b.runs).toBe(1);
    expect(await readFile(output, 'utf8')).toBe('from b');
  });

  it('warns once and goes on when it cannot write', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a folder');
    const warnings: string[] = [];
    const cache = cacheIn(blocked, warnings);
    const output = join(dir, 'out.img');
    await cache.file('x', async () => ['a'], output, maker(output, 'a').make);
    await cache.file('y', async () => ['b'], output, maker(output, 'b').make);
    expect(await readFile(output, 'utf8')).toBe('b');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cannot keep x in the stage cache ${blocked}`);
  });
});

describe('builderFingerprint', () => {
  it('changes with any source file and ignores tests', async () => {
    const sources = join(dir, 'src');
    await mkdir(join(sources, 'boot'), { recursive: true });
    const lock = join(dir, 'package-lock.json');
    await writeFile(lock, '{}');
    await writeFile(join(sources, 'boot', 'uki.ts'), 'export const a = 1;');
    const first = await builderFingerprint(sources, lock);
    await writeFile(join(sources, 'boot', 'uki.test.ts'), 'test');
    expect(await builderFingerprint(sources, lock)).toBe(first);
    await writeFile(join(sources, 'boot', 'uki.ts'), 'export const a = 2;');
    expect(await builderFingerprint(sources, lock)).not.toBe(first);
  });
});
