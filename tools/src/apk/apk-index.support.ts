import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ToolError } from '../core/errors.ts';
import { tarBytes } from './apk-builder.support.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import { readApkIndex } from './index.ts';

/** What apk-tools 2 made of the packages given to `apk index`. */
export type ApkIndexOutcome =
  | { readonly verdict: 'indexed'; readonly text: string; readonly output: string }
  | { readonly verdict: 'refused' | 'crashed'; readonly output: string };

/** A deterministic pseudo-random source (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `items` in an order drawn from `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function indexText(chroot: AlpineChroot, inside: string): Promise<string> {
  const bytes = new Uint8Array(await readFile(chroot.host(inside)));
  const index = await readApkIndex(bytes, {
    keys: new Map(),
    requireSignature: false,
    file: inside,
  });
  return index.text;
}

/** Runs `apk index` over packages inside the chroot and returns the APKINDEX it wrote. */
export async function indexWithApk(
  chroot: AlpineChroot,
  packagesInside: readonly string[],
  outputInside: string,
): Promise<ApkIndexOutcome> {
  await rm(chroot.host(outputInside), { force: true });
  try {
    const result = await chroot.apk([
      'index',
      '--allow-untrusted',
      '-o',
      outputInside,
      ...packagesInside,
    ]);
    const output = result.stdout + result.stderr;
    if (result.exitCode !== 0) {
      return { verdict: 'refused', output };
    }
    return { verdict: 'indexed', text: await indexText(chroot, outputInside), output };
  } catch (error) {
    if (error instanceof ToolError && error.signal !== undefined) {
      return { verdict: 'crashed', output: `${error.signal}: ${error.stderrTail}` };
    }
    throw error;
  }
}

/** Name, version and `S:` of a record: what `apk index --index` matches a package file by. */
export interface IndexedFile {
  readonly name: string;
  readonly version: string;
  readonly size: number;
}

/**
 * Has apk read `text` as an index and write it back: `apk index --index OLD` reuses the old
 * record of every file named `<name>-<version>.apk` whose size is the record's `S:` and which
 * is older than the index, so placeholder files stand in for the packages. The result is each
 * record as apk holds it in memory, in the form apk writes; a placeholder that apk matched to
 * no record would be read as a package and fail the run.
 */
export async function rewriteIndexWithApk(
  chroot: AlpineChroot,
  text: string,
  files: readonly IndexedFile[],
  dirInside: string,
): Promise<string> {
  const dir = chroot.host(dirInside);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const old = new Date('2000-01-01T00:00:00Z');
  const inside: string[] = [];
  for (const file of files) {
    const name = `${file.name}-${file.version}.apk`;
    await writeFile(join(dir, name), new Uint8Array(file.size));
    await utimes(join(dir, name), old, old);
    inside.push(`${dirInside}/${name}`);
  }
  await writeFile(
    join(dir, 'old.tar.gz'),
    gzipSync(tarBytes([{ name: 'APKINDEX', content: text, mtime: 1_700_000_000 }])),
  );
  const result = await chroot.apk([
    'index',
    '--allow-untrusted',
    '--index',
    `${dirInside}/old.tar.gz`,
    '-o',
    `${dirInside}/new.tar.gz`,
    ...inside,
  ]);
  const output = result.stdout + result.stderr;
  if (result.exitCode !== 0 || !output.includes('(of which 0 are new)')) {
    throw new Error(`apk index --index did not reuse every record:\n${output}`);
  }
  return indexText(chroot, `${dirInside}/new.tar.gz`);
}
