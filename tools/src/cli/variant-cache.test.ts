import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledCodeIdentity, rememberVariant } from './variant-cache.ts';

let work: string;
let leaf: string;
let loads: number;

/** A variant on top of the built-in AcornOS, written an hour ago unless `now` is set. */
async function writeLeaf(prettyName: string, now = false): Promise<void> {
  await writeFile(
    leaf,
    `extends: acorn\nprettyName: ${prettyName}\noverlay:\n  dir: overlay\n  permissions: []\n`,
  );
  if (!now) {
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(leaf, hourAgo, hourAgo);
  }
}

function remember(code = 'build-1'): Promise<VariantSpec> {
  return rememberVariant({ stateDir: join(work, 'state'), code }, leaf, {}, () => {
    loads += 1;
    return loadVariant(leaf);
  });
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'variant-cache-'));
  leaf = join(work, 'mine.yaml');
  await mkdir(join(work, 'overlay'));
  await writeLeaf('Mine');
  loads = 0;
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('loaded variants kept between runs', () => {
  it('reads a kept spec back, equal to a fresh load and frozen like one', async () => {
    const fresh = await remember();
    const kept = await remember();
    expect(loads).toBe(1);
    expect(kept).toEqual(fresh);
    expect(kept.prettyName).toBe('Mine');
    expect(Object.isFrozen(kept.repositories[0])).toBe(true);
  });

  it('loads again when a file of the chain changes', async () => {
    await remember();
    await writeLeaf('Changed');
    const again = await remember();
    expect(loads).toBe(2);
    expect(again.prettyName).toBe('Changed');
  });

  it('loads again for another build of the program, or other options', async () => {
    await remember('build-1');
    await remember('build-2');
    expect(loads).toBe(2);
    await rememberVariant(
      { stateDir: join(work, 'state'), code: 'build-2' },
      leaf,
      { features: [] },
      () => {
        loads += 1;
        return loadVariant(leaf, { features: [] });
      },
    );
    expect(loads).toBe(3);
  });

  it('loads again when an overlay folder is gone, and then fails as a fresh load does', async () => {
    await remember();
    await rm(join(work, 'overlay'), { recursive: true });
    await expect(remember()).rejects.toThrow(/overlay folder .* does not exist/);
    expect(loads).toBe(2);
  });

  it('does not keep a spec whose file was written just before it was loaded', async () => {
    await writeLeaf('Racy', true);
    await remember();
    await remember();
    expect(loads).toBe(2);
  });

  it('never keeps a failure', async () => {
    await writeFile(leaf, 'extends: acorn\nprettyName: [not, text]\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(leaf, hourAgo, hourAgo);
    await expect(remember()).rejects.toThrow();
    await expect(remember()).rejects.toThrow();
    expect(loads).toBe(2);
  });
});

describe('the identity of the running code', () => {
  const RUNNING = Symbol.for('levitate.running-bundle');
  const globals = globalThis as Record<symbol, unknown>;

  afterEach(() => {
    Reflect.deleteProperty(globals, RUNNING);
  });

  it('is none from sources, and differs between two checkouts of the same code', async () => {
    expect(bundledCodeIdentity()).toBeUndefined();
    const identities: (string | undefined)[] = [];
    for (const checkout of ['one', 'two']) {
      const dist = join(work, checkout, 'dist');
      await mkdir(dist, { recursive: true });
      await writeFile(join(dist, 'acorn.js'), 'export {};\n');
      await writeFile(join(dist, 'acorn.sources.json'), '{"sources":{"../src/main.ts":"00"}}');
      globals[RUNNING] = join(dist, 'acorn.js');
      identities.push(bundledCodeIdentity());
    }
    expect(identities[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(identities[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(identities[0]).not.toBe(identities[1]);
    globals[RUNNING] = join(work, 'one', 'dist', 'acorn.js');
    expect(bundledCodeIdentity()).toBe(identities[0]);
  });
});
