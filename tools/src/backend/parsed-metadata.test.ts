/**
 * The parsed-metadata cache in the backends: a warm cache gives the same resolution, and it
 * never stands in for a check. The APKINDEX signature and repomd.xml(.asc) are verified on
 * every load, so a tampered or no longer trusted index fails even when its parse is cached.
 */

import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { UserError } from '../core/errors.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { parseApkIndexText } from '../apk-resolve/index.ts';
import type { ApkIndexRecord } from '../apk-resolve/index.ts';
import { loadApkKeys, readApkIndex, splitGzipMembers } from '../apk/index.ts';
import { createMetadataCache, metadataCacheDir } from '../metadata-cache/index.ts';
import { SIGNER, STRANGER, buildTestRepositories } from '../rpm-repo/test-repository.ts';
import type { TestRepositories } from '../rpm-repo/test-repository.ts';
import { fixture } from '../test-support/fixtures.ts';
import { apkBackend } from './apk-backend.ts';
import { rpmBackend } from './rpm-backend.ts';
import type { BackendContext } from './index.ts';

const ALPINE_316 = fixture('apkindex', 'alpine-316', 'APKINDEX.tar.gz');
const ALPINE_KEYS = fixture('keys', 'alpine');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'parsed-metadata-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function recordingReporter() {
  const warnings: string[] = [];
  const reporter = createReporter({
    mode: 'plain',
    stream: { write: () => true } as unknown as NodeJS.WritableStream,
  });
  return { warnings, reporter: { ...reporter, warn: (m: string) => void warnings.push(m) } };
}

async function contextFor(
  variant: 'acorn' | 'levitate',
  repository: { url: string; keysDir: string; signedMetadata?: boolean },
  stateDir: string,
  verify = true,
) {
  const { reporter, warnings } = recordingReporter();
  const context: BackendContext = {
    spec: await loadVariant(variant, { repositories: [repository] }),
    reporter,
    verify,
    keyDirs: [],
    stateDir,
    fetcher: createFetcher({ cacheDir: join(stateDir, '..', 'downloads'), offline: true }),
  };
  return { context, warnings };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return error as UserError;
}

describe('the APK backend with a cached package graph (Alpine 3.16 main)', () => {
  const request = ['alpine-base', 'openrc', 'linux-lts'];
  let repo: string;
  let state: string;

  beforeAll(async () => {
    repo = join(work, 'alpine');
    await mkdir(join(repo, 'x86_64'), { recursive: true });
    await copyFile(ALPINE_316, join(repo, 'x86_64', 'APKINDEX.tar.gz'));
    state = join(work, 'apk-cache', 'state');
  });

  const load = async (keysDir = ALPINE_KEYS, verify = true) => {
    const { context, warnings } = await contextFor('acorn', { url: repo, keysDir }, state, verify);
    const universe = await apkBackend.load(context.spec.repositories, context);
    return { universe, warnings };
  };

  it('reads back records equal to a fresh parse, shared dependency lists still shared', async () => {
    const source = { repository: 'main', file: ALPINE_316 };
    const { text } = await readApkIndex(await readFile(ALPINE_316), {
      keys: await loadApkKeys(ALPINE_KEYS),
      requireSignature: true,
      file: ALPINE_316,
    });
    const parsed = parseApkIndexText(text, source);
    const cache = createMetadataCache(join(work, 'records'), recordingReporter().reporter);
    const entry = {
      kind: 'apk-index',
      slot: 'main',
      key: ['test'],
      what: 'APKINDEX of main',
      accept: (value: unknown): value is ApkIndexRecord[] => Array.isArray(value),
      parse: async () => parseApkIndexText(text, source),
    };
    await cache.remember(entry);
    const read = await cache.remember({
      ...entry,
      parse: () => Promise.reject(new Error('parsed')),
    });
    expect(read).toHaveLength(4929);
    expect(read).toStrictEqual(parsed);
    const musl = read.filter((record) =>
      record.depends.some((dep) => dep.name === 'so:libc.musl-x86_64.so.1'),
    );
    expect(
      new Set(
        musl.map((record) => record.depends.find((d) => d.name === 'so:libc.musl-x86_64.so.1')),
      ).size,
    ).toBe(1);
  });

  it('resolves the same packages from a cold and a warm cache', async () => {
    const cold = await load();
    expect(await readdir(metadataCacheDir(state))).toEqual([
      expect.stringMatching(/^apk-catalog-\w+\.v8$/),
    ]);
    const warm = await load();
    expect(warm.universe.repositories).toEqual(cold.universe.repositories);
    expect(await warm.universe.resolve(request)).toStrictEqual(
      await cold.universe.resolve(request),
    );
    expect([...cold.warnings, ...warm.warnings]).toEqual([]);
  });

  it('still checks the signature: a warm cache does not make an untrusted index load', async () => {
    await load();
    const error = await failure(load(fixture('keys', 'test')));
    expect(error.message).toMatch(/none of them a trusted key/);
    // Unchanged bytes, so the same cache key: only verification is off here.
    expect((await load(fixture('keys', 'test'), false)).universe.repositories).toHaveLength(1);
  });

  it('refuses a tampered index whose parse of the genuine one is cached', async () => {
    await load();
    const genuine = await readFile(join(repo, 'x86_64', 'APKINDEX.tar.gz'));
    const body = splitGzipMembers(genuine)[1]?.start ?? 0;
    const tampered = Buffer.from(genuine);
    // The gzip MTIME of the index member: signed, but outside the gzip CRC.
    tampered[body + 4] = (tampered[body + 4] ?? 0) ^ 1;
    await writeFile(join(repo, 'x86_64', 'APKINDEX.tar.gz'), tampered);
    try {
      expect((await failure(load())).message).toMatch(/BAD signature/);
    } finally {
      await writeFile(join(repo, 'x86_64', 'APKINDEX.tar.gz'), genuine);
    }
  });

  it('resolves with a warning when the cache folder cannot be written', async () => {
    const blocker = join(work, 'apk-blocker');
    await writeFile(blocker, '');
    const { context, warnings } = await contextFor(
      'acorn',
      { url: repo, keysDir: ALPINE_KEYS },
      join(blocker, 'state'),
    );
    const universe = await apkBackend.load(context.spec.repositories, context);
    expect((await universe.resolve(request)).packages.length).toBeGreaterThan(10);
    expect(warnings).toEqual([
      expect.stringMatching(/cannot keep the parsed APK package graph of /),
    ]);
  });
});

describe('the RPM backend with a parsed-metadata cache and signed repomd.xml', () => {
  let repos: TestRepositories;
  let repo: string;
  const keys = { signer: '', stranger: '' };
  let state: string;

  beforeAll(async () => {
    repos = await buildTestRepositories();
    repo = await repos.createRepository('signed');
    await repos.sign(repo, SIGNER);
    for (const [who, user] of [
      ['signer', SIGNER],
      ['stranger', STRANGER],
    ] as const) {
      keys[who] = join(work, `keys-${who}`);
      await mkdir(keys[who]);
      await writeFile(join(keys[who], `${who}.asc`), await repos.publicKey(user));
    }
    state = join(work, 'rpm-cache', 'state');
  }, 120_000);
  afterAll(async () => {
    await repos.cleanup();
  });

  const load = async (keysDir = keys.signer) => {
    const repository = { url: repo, keysDir, signedMetadata: true };
    const { context } = await contextFor('levitate', repository, state);
    return rpmBackend.load(context.spec.repositories, context);
  };

  it('loads from a warm cache, and refuses repomd.xml once its key is not trusted', async () => {
    expect((await load()).repositories).toEqual([expect.objectContaining({ packages: 1 })]);
    const files = await readdir(metadataCacheDir(state));
    expect(files).toContainEqual(expect.stringMatching(/^rpm-primary-\w+\.v8$/));
    expect((await load()).repositories).toEqual([expect.objectContaining({ packages: 1 })]);
    const error = await failure(load(keys.stranger));
    expect(error.code).toBe('package-unverified');
    expect(error.message).toMatch(/repomd\.xml: signature does not verify/);
  });

  it('refuses a repomd.xml.asc made by another key, and a changed repomd.xml', async () => {
    await load();
    await repos.sign(repo, STRANGER);
    expect((await failure(load())).code).toBe('package-unverified');
    await repos.sign(repo, SIGNER);
    await load();
    const repomd = join(repo, 'repodata', 'repomd.xml');
    const genuine = await readFile(repomd, 'utf8');
    await writeFile(repomd, `${genuine}\n`);
    try {
      expect((await failure(load())).code).toBe('package-unverified');
    } finally {
      await writeFile(repomd, genuine);
    }
    expect((await load()).repositories).toEqual([expect.objectContaining({ packages: 1 })]);
  });
});
