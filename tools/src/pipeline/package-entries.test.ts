import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedPackage } from '../backend/index.ts';
import { FOLDER_RULES, ImageTree, createContentStore } from '../rootfs/index.ts';
import { APKO_REPO, EPOCH, makeTempDir, verifiedApk } from '../rootfs/rootfs.support.ts';
import type { TempDir } from '../rootfs/rootfs.support.ts';
import { StageCache } from '../stage-cache/index.ts';
import { fixture } from '../test-support/fixtures.ts';
import { installPackages } from './package-entries.ts';

const NAMES = [
  'pretend-baselayout-1.0.0-r0.apk',
  'custom-ca-certs-1-1.0.0-r0.apk',
  'custom-ca-certs-2-1.0.0-r0.apk',
];

let temp: TempDir;
let reads: Map<string, number>;
let warnings: string[];

beforeEach(() => {
  temp = makeTempDir('package-entries');
  reads = new Map();
  warnings = [];
});
afterEach(() => temp.cleanup());

/** The apko fixture packages, counting how often each is read. */
async function packages(): Promise<VerifiedPackage[]> {
  const list: VerifiedPackage[] = [];
  for (const name of NAMES) {
    const { pkg } = await verifiedApk(APKO_REPO(name), fixture('keys', 'test'));
    list.push({
      ...pkg,
      entries: () => {
        reads.set(pkg.package.name, (reads.get(pkg.package.name) ?? 0) + 1);
        return pkg.entries();
      },
    });
  }
  return list;
}

const storeDir = () => join(temp.dir, 'store');

/** One build's tree, from a fresh store object on the same folder and a cache in the same folder. */
async function build(): Promise<{ tree: ImageTree; cache: StageCache }> {
  const store = createContentStore(storeDir(), { warn: (message) => warnings.push(message) });
  const tree = new ImageTree({ store, epoch: EPOCH });
  const cache = new StageCache(
    { dir: join(temp.dir, 'stages'), maxBytes: 1 << 30 },
    'code',
    () => {},
  );
  await installPackages(tree, await packages(), { folders: FOLDER_RULES.apk }, cache);
  return { tree, cache };
}

function snapshot(tree: ImageTree) {
  return { nodes: tree.paths().map((path) => [path, tree.get(path)]), notes: tree.notes };
}

describe('installed entries kept between builds', () => {
  it('replays every package without reading it, into the same tree', async () => {
    const cold = await build();
    expect([...reads.values()]).toEqual([1, 1, 1]);
    expect(cold.cache.outcomes.map((item) => item.outcome)).toEqual(['miss', 'miss', 'miss']);

    reads.clear();
    const warm = await build();
    expect(reads.size).toBe(0);
    expect(warm.cache.outcomes.map((item) => item.outcome)).toEqual(['hit', 'hit', 'hit']);
    expect(snapshot(warm.tree)).toEqual(snapshot(cold.tree));
    expect(snapshot(cold.tree).notes.length).toBeGreaterThan(0);
  });

  it('reads a package again when the store lost or damaged one of its contents', async () => {
    const cold = await build();
    const certs = cold.tree.get('/usr/local/share/ca-certificates/cert-a.crt');
    const other = cold.tree.get('/usr/local/share/ca-certificates/cert-d.crt');
    if (certs?.kind !== 'file' || other?.kind !== 'file') throw new Error('no certificates');
    await rm(join(storeDir(), certs.content.sha256));
    await writeFile(join(storeDir(), other.content.sha256), 'damaged');

    reads.clear();
    const warm = await build();
    expect(Object.fromEntries(reads)).toEqual({ 'custom-ca-certs-1': 1, 'custom-ca-certs-2': 1 });
    expect(snapshot(warm.tree)).toEqual(snapshot(cold.tree));
    expect(await readdir(storeDir())).toContain(certs.content.sha256);
    expect(warnings.join('\n')).toContain(`${other.content.sha256} held 7 bytes`);
  });

  it('reads every package without a cache', async () => {
    const store = createContentStore(storeDir());
    const tree = new ImageTree({ store, epoch: EPOCH });
    await installPackages(tree, await packages(), { folders: FOLDER_RULES.apk }, undefined);
    await installPackages(
      new ImageTree({ store, epoch: EPOCH }),
      await packages(),
      { folders: FOLDER_RULES.apk },
      undefined,
    );
    expect([...reads.values()]).toEqual([2, 2, 2]);
  });
});
