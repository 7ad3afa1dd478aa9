import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { adbFile } from '../apk/apk-builder.support.ts';
import { UserError } from '../core/errors.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { startTestServer } from '../fetch/test-server.ts';
import type { TestServer } from '../fetch/test-server.ts';
import { makeIso } from '../iso9660-reader/test-images.support.ts';
import { fixture } from '../test-support/fixtures.ts';
import { apkBackend } from './apk-backend.ts';
import type { BackendContext } from './index.ts';

const REPO = fixture('apk', 'synthetic', 'apko-repo', 'packages');
const PACKAGES = [
  'APKINDEX.tar.gz',
  'custom-ca-certs-1-1.0.0-r0.apk',
  'pretend-baselayout-1.0.0-r0.apk',
  'replayout-1.0.0-r0.apk',
];

let server: TestServer;
let work: string;
const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'apk-backend-'));
  for (const name of PACKAGES) {
    server.serve(`/alpine/x86_64/${name}`, {
      body: new Uint8Array(await readFile(join(REPO, 'x86_64', name))),
    });
  }
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function contextFor(cache: string, offline = false): Promise<BackendContext> {
  const spec = await loadVariant('acorn', {
    repositories: [{ url: server.url('/alpine'), keysDir: join(REPO) }],
  });
  return {
    spec,
    reporter: quiet,
    verify: true,
    keyDirs: [],
    stateDir: join(cache, 'state'),
    fetcher: createFetcher({
      cacheDir: join(cache, 'downloads'),
      offline,
      backoffMs: 1,
      retries: 1,
    }),
  };
}

describe('the APK backend over HTTP', () => {
  it('loads a signed index, resolves, fetches, verifies and streams entries', async () => {
    const context = await contextFor(join(work, 'cache-a'));
    const universe = await apkBackend.load(context.spec.repositories, context);
    expect(universe.repositories).toEqual([
      { name: 'override-1', url: `${server.url('/alpine')}/x86_64/`, packages: 4 },
    ]);
    const resolution = await universe.resolve(['replayout']);
    expect(resolution.packages.map((pkg) => `${pkg.name}-${pkg.version}`)).toContain(
      'replayout-1.0.0-r0',
    );
    const [fetched] = await universe.fetch({
      ...resolution,
      packages: resolution.packages.filter((pkg) => pkg.name === 'replayout'),
    });
    expect(fetched?.signer).toBe('melange.rsa.pub');
    const paths: string[] = [];
    for await (const { entry } of fetched?.entries() ?? []) paths.push(entry.path);
    expect(paths.length).toBeGreaterThan(0);
  });

  it('serves a second build from the verified cache, even offline', async () => {
    const cache = join(work, 'cache-b');
    const online = await contextFor(cache);
    const universe = await apkBackend.load(online.spec.repositories, online);
    await universe.fetch(await universe.resolve(['pretend-baselayout']));
    const before = server.requestsFor('/alpine/x86_64/pretend-baselayout-1.0.0-r0.apk').length;
    const offline = await contextFor(cache, true);
    const again = await apkBackend.load(offline.spec.repositories, offline);
    const [fetched] = await again.fetch(await again.resolve(['pretend-baselayout']));
    expect(fetched?.package.name).toBe('pretend-baselayout');
    expect(server.requestsFor('/alpine/x86_64/pretend-baselayout-1.0.0-r0.apk')).toHaveLength(
      before,
    );
  });

  it('refuses a tampered package, names it, and keeps nothing of it in the cache', async () => {
    const original = new Uint8Array(
      await readFile(join(REPO, 'x86_64', 'custom-ca-certs-1-1.0.0-r0.apk')),
    );
    const tampered = new Uint8Array(original);
    tampered[tampered.length - 40] = (tampered[tampered.length - 40] ?? 0) ^ 0xff;
    server.serve('/alpine/x86_64/custom-ca-certs-1-1.0.0-r0.apk', { body: tampered });
    const cache = join(work, 'cache-c');
    const context = await contextFor(cache);
    const universe = await apkBackend.load(context.spec.repositories, context);
    const resolution = await universe.resolve(['custom-ca-certs-1']);
    const only = {
      ...resolution,
      packages: resolution.packages.filter((pkg) => pkg.name === 'custom-ca-certs-1'),
    };
    await expect(universe.fetch(only)).rejects.toThrow(/custom-ca-certs-1-1\.0\.0-r0/);
    const cached = await readdir(join(cache, 'downloads', 'sha256')).catch(() => [] as string[]);
    const stored = await Promise.all(
      cached.map((dir) => readdir(join(cache, 'downloads', 'sha256', dir))),
    );
    const tamperedDigest = (await import('node:crypto'))
      .createHash('sha256')
      .update(tampered)
      .digest('hex');
    expect(stored.flat()).not.toContain(tamperedDigest);
    server.serve('/alpine/x86_64/custom-ca-certs-1-1.0.0-r0.apk', { body: original });
  });

  it('refuses an index signed by a key it does not trust', async () => {
    const spec = await loadVariant('acorn', {
      repositories: [{ url: server.url('/alpine'), keysDir: fixture('keys', 'alpine') }],
    });
    const context = { ...(await contextFor(join(work, 'cache-d'))), spec };
    await expect(apkBackend.load(spec.repositories, context)).rejects.toThrow(
      /signed by melange\.rsa\.pub .*none of them a trusted key/,
    );
  });
});

describe('the APK backend and apk v3 repositories', () => {
  it('refuses a repository URL naming Packages.adb before fetching, naming the v2 URL', async () => {
    const url = `${server.url('/alpine-v3')}/x86_64/Packages.adb`;
    const spec = await loadVariant('acorn', { repositories: [{ url, keysDir: REPO }] });
    const context = { ...(await contextFor(join(work, 'cache-v3-url'))), spec };
    const error = await apkBackend.load(spec.repositories, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('apk v3 format is not supported yet');
    expect((error as UserError).message).toContain(url);
    expect((error as UserError).hint).toContain(server.url('/alpine-v3'));
    expect(server.requestsFor('/alpine-v3/x86_64/Packages.adb')).toHaveLength(0);
  });

  it('refuses an APKINDEX.tar.gz that holds an apk v3 index, naming the file', async () => {
    server.serve('/alpine-adb/x86_64/APKINDEX.tar.gz', { body: adbFile('indx') });
    const spec = await loadVariant('acorn', {
      repositories: [{ url: server.url('/alpine-adb'), keysDir: REPO }],
    });
    const context = { ...(await contextFor(join(work, 'cache-v3-index'))), spec };
    const error = await apkBackend.load(spec.repositories, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(
      `${server.url('/alpine-adb')}/x86_64/APKINDEX.tar.gz: apk v3 format is not supported yet`,
    );
    expect((error as UserError).hint).toMatch(/v2 index/);
  });
});

describe('the APK backend over an ISO image', () => {
  it('reads the index and packages of a tree inside the image', async () => {
    const image = join(work, 'alpine.iso');
    await makeIso(REPO, image, ['-R', '-J']);
    const spec = await loadVariant('acorn', {
      repositories: [{ url: `${image}#/`, keysDir: REPO }],
    });
    const context = { ...(await contextFor(join(work, 'cache-iso'), true)), spec };
    const universe = await apkBackend.load(spec.repositories, context);
    const [fetched] = await universe.fetch(await universe.resolve(['pretend-baselayout']));
    expect(fetched?.package.name).toBe('pretend-baselayout');
    const original = await readFile(join(REPO, 'x86_64', 'pretend-baselayout-1.0.0-r0.apk'));
    expect((await readFile(fetched?.file ?? '')).equals(original)).toBe(true);
  });
});
