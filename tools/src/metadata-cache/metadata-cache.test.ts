import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABANDONED_AFTER_MS,
  CACHE_FORMAT_VERSION,
  createMetadataCache,
  parseEveryTime,
} from './index.ts';
import type { CachedParse } from './index.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'metadata-cache-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Parsed {
  readonly names: string[];
  readonly shared: { readonly a: { readonly x: number }; readonly b: { readonly x: number } };
  readonly byName: Map<string, number>;
  readonly absent: undefined;
}

function sample(): Parsed {
  const dep = { x: 1 };
  return {
    names: ['bash', 'glibc'],
    shared: { a: dep, b: dep },
    byName: new Map([['bash', 1]]),
    absent: undefined,
  };
}

function recorder() {
  const warnings: string[] = [];
  const debug: string[] = [];
  return {
    warnings,
    debug,
    reporter: { warn: (m: string) => warnings.push(m), debug: (m: string) => debug.push(m) },
  };
}

/** A parse that counts its runs. */
function counted(key: readonly string[], value: () => Parsed = sample) {
  const entry = {
    runs: 0,
    kind: 'test-index',
    slot: 'repo\0file:///srv/repo',
    key,
    what: 'test index of repo',
    accept: (found: unknown): found is Parsed => typeof found === 'object' && found !== null,
    async parse() {
      entry.runs += 1;
      return value();
    },
  } satisfies CachedParse<Parsed> & { runs: number };
  return entry;
}

async function onlyFile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.v8'));
  expect(files).toHaveLength(1);
  return join(dir, files[0] ?? '');
}

describe('the metadata cache', () => {
  it('parses once, then gives back an equal value with shared objects still shared', async () => {
    const dir = join(work, 'round-trip');
    const cache = createMetadataCache(dir, recorder().reporter);
    const entry = counted(['sha256 aa']);
    const first = await cache.remember(entry);
    const second = await cache.remember(entry);
    expect(entry.runs).toBe(1);
    expect(second).toStrictEqual(first);
    expect(second.shared.a).toBe(second.shared.b);
    expect(second.byName).toBeInstanceOf(Map);
    expect('absent' in second).toBe(true);
  });

  it('parses again when the key changes, replacing the file', async () => {
    const dir = join(work, 'changed');
    const cache = createMetadataCache(dir, recorder().reporter);
    await cache.remember(counted(['sha256 aa']));
    const changed = counted(['sha256 bb'], () => ({ ...sample(), names: ['changed'] }));
    expect((await cache.remember(changed)).names).toEqual(['changed']);
    expect(changed.runs).toBe(1);
    expect((await cache.remember(changed)).names).toEqual(['changed']);
    expect(changed.runs).toBe(1);
    await onlyFile(dir);
  });

  it('removes what a killed run left half-written, but not what a run writes now', async () => {
    const dir = join(work, 'abandoned');
    const cache = createMetadataCache(dir, recorder().reporter);
    await cache.remember(counted(['sha256 aa']));
    const name = basename(await onlyFile(dir));
    const abandoned = join(dir, `.${name}.0123456789ab.part`);
    const current = join(dir, `.${name}.ba9876543210.part`);
    await writeFile(abandoned, 'half');
    await writeFile(current, 'half');
    const old = (Date.now() - ABANDONED_AFTER_MS - 60_000) / 1000;
    await utimes(abandoned, old, old);
    await cache.remember(counted(['sha256 bb']));
    expect((await readdir(dir)).sort()).toEqual([`.${name}.ba9876543210.part`, name].sort());
  });

  it('treats a parser version as part of the key', async () => {
    const dir = join(work, 'version');
    const cache = createMetadataCache(dir, recorder().reporter);
    await cache.remember(
      counted(['parser 1', 'sha256 aa'], () => ({ ...sample(), names: ['old'] })),
    );
    const newer = counted(['parser 2', 'sha256 aa']);
    expect((await cache.remember(newer)).names).toEqual(['bash', 'glibc']);
    expect(newer.runs).toBe(1);
  });

  const damages: readonly [string, (bytes: Buffer) => Buffer][] = [
    ['truncated in the payload', (bytes) => bytes.subarray(0, bytes.length - 10)],
    ['truncated in the header', (bytes) => bytes.subarray(0, 40)],
    ['empty', () => Buffer.alloc(0)],
    ['with a flipped payload byte', (bytes) => flip(bytes, bytes.length - 5)],
    ['with a flipped digest byte', (bytes) => flip(bytes, 60)],
    ['with trailing bytes', (bytes) => Buffer.concat([bytes, Buffer.from('more')])],
    ['with another magic', (bytes) => flip(bytes, 0)],
    ['of another format version', (bytes) => withFormat(bytes, CACHE_FORMAT_VERSION + 1)],
  ];

  let damaged = 0;
  it.each(damages)('parses again, without an error, a file %s', async (_, damage) => {
    const dir = join(work, `damaged-${++damaged}`);
    const log = recorder();
    const cache = createMetadataCache(dir, log.reporter);
    const entry = counted(['sha256 aa']);
    const expected = await cache.remember(entry);
    const file = await onlyFile(dir);
    await writeFile(file, damage(await readFile(file)));
    expect(await cache.remember(entry)).toStrictEqual(expected);
    expect(entry.runs).toBe(2);
    expect(log.warnings).toEqual([]);
    expect(log.debug.join('\n')).toMatch(/parsing the test index of repo again/);
    // Repaired: the next run reads it.
    await cache.remember(entry);
    expect(entry.runs).toBe(2);
  });

  it('parses again when a well-formed file holds something the caller does not accept', async () => {
    const dir = join(work, 'shape');
    const cache = createMetadataCache(dir, recorder().reporter);
    const entry = counted(['sha256 aa']);
    await cache.remember({ ...entry, parse: async () => 'a string' as unknown as Parsed });
    expect(await cache.remember(entry)).toStrictEqual(sample());
    expect(entry.runs).toBe(1);
  });

  it('warns once and still returns the parse when the folder cannot be written', async () => {
    const blocker = join(work, 'a-file');
    await writeFile(blocker, 'not a folder');
    const log = recorder();
    const cache = createMetadataCache(join(blocker, 'cache'), log.reporter);
    const entry = counted(['sha256 aa']);
    expect(await cache.remember(entry)).toStrictEqual(sample());
    expect(await cache.remember(entry)).toStrictEqual(sample());
    expect(entry.runs).toBe(2);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/cannot keep the parsed test index of repo in .*a-file\/cache/);
  });

  it('leaves no file behind when the parse fails', async () => {
    const dir = join(work, 'failing');
    const cache = createMetadataCache(dir, recorder().reporter);
    const failing = {
      ...counted(['sha256 aa']),
      parse: () => Promise.reject(new Error('checksum mismatch')),
    };
    await expect(cache.remember(failing)).rejects.toThrow('checksum mismatch');
    expect(await readdir(dir).catch(() => [])).toEqual([]);
  });

  it('parses every time without a cache', async () => {
    const entry = counted(['sha256 aa']);
    await parseEveryTime.remember(entry);
    await parseEveryTime.remember(entry);
    expect(entry.runs).toBe(2);
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

function withFormat(bytes: Buffer, format: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(format, 8);
  return copy;
}
