import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { createFetcher } from './fetcher.ts';
import { startTestServer } from './test-server.ts';
import { listFiles, makeTempDir, randomPayload, sha256Of } from './test-support.ts';

const PAYLOAD = randomPayload(20_000);
const DIGEST = sha256Of(PAYLOAD);

let work: { path: string; remove(): Promise<void> };
let repo: string;
let cacheDir: string;

beforeEach(async () => {
  work = await makeTempDir('fetch-local');
  repo = join(work.path, 'repo');
  cacheDir = join(work.path, 'cache');
  await mkdir(join(repo, 'Packages'), { recursive: true });
  await writeFile(join(repo, 'Packages', 'nano-8.0.rpm'), PAYLOAD);
});

afterEach(async () => {
  await work.remove();
});

const request = (mirror: string): Parameters<ReturnType<typeof createFetcher>['fetch']>[0] => ({
  mirrors: [mirror],
  path: 'Packages/nano-8.0.rpm',
  expected: { digest: DIGEST, size: PAYLOAD.length },
  label: 'nano-8.0',
});

describe('local mirrors', () => {
  it('verifies files of a directory or file:// repository in place', async () => {
    const fetcher = createFetcher({ cacheDir });
    const original = join(repo, 'Packages', 'nano-8.0.rpm');
    for (const mirror of [repo, pathToFileURL(repo).href]) {
      const result = await fetcher.fetch(request(mirror));
      expect(result).toEqual({
        file: original,
        digest: DIGEST,
        size: PAYLOAD.length,
        fromCache: false,
        url: original,
      });
    }
    expect(await listFiles(work.path)).toEqual([join('repo', 'Packages', 'nano-8.0.rpm')]);
  });

  it('copies into the cache when asked to, and then serves from it', async () => {
    const fetcher = createFetcher({ cacheDir, copyLocalFiles: true });
    const copied = await fetcher.fetch(request(repo));
    expect(copied.file).toBe(join(cacheDir, 'sha256', DIGEST.hex.slice(0, 2), DIGEST.hex));
    expect(sha256Of(await readFile(copied.file))).toEqual(sha256Of(PAYLOAD));
    const again = await fetcher.fetch(request(repo));
    expect(again.fromCache).toBe(true);
  });

  it('rejects a local file with the wrong digest', async () => {
    await writeFile(join(repo, 'Packages', 'nano-8.0.rpm'), Buffer.alloc(PAYLOAD.length));
    for (const copyLocalFiles of [false, true]) {
      const error = await createFetcher({ cacheDir, copyLocalFiles })
        .fetch(request(repo))
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(PackageVerifyError);
      expect((error as PackageVerifyError).package).toBe('nano-8.0');
      expect((error as PackageVerifyError).file).toBe(join(repo, 'Packages', 'nano-8.0.rpm'));
    }
    expect(await listFiles(cacheDir).catch(() => [])).toEqual([]);
  });

  it('works offline and falls through to the next mirror', async () => {
    const offline = await createFetcher({ cacheDir, offline: true }).fetch(request(repo));
    expect(offline.file).toBe(join(repo, 'Packages', 'nano-8.0.rpm'));

    const server = await startTestServer();
    try {
      server.serve('/repo/Packages/nano-8.0.rpm', { body: PAYLOAD });
      const result = await createFetcher({ cacheDir }).fetch({
        ...request(join(work.path, 'empty')),
        mirrors: [join(work.path, 'empty'), server.url('/repo/')],
      });
      expect(result.url).toBe(server.url('/repo/Packages/nano-8.0.rpm'));
    } finally {
      await server.close();
    }
  });

  it('reports a file missing from a local repository', async () => {
    const error = await createFetcher({ cacheDir })
      .fetch({ mirrors: [repo], path: 'Packages/vim-9.1.rpm' })
      .catch((err: unknown) => err);
    expect((error as UserError).code).toBe('fetch-not-found');
    expect((error as UserError).message).toContain(join(repo, 'Packages', 'vim-9.1.rpm'));
  });
});

describe('requests', () => {
  it('refuses paths that leave the repository and unusable mirrors', async () => {
    const fetcher = createFetcher({ cacheDir });
    for (const path of ['../etc/passwd', '/etc/passwd', 'a//b', 'http://x/y', '']) {
      const error = await fetcher.fetch({ mirrors: [repo], path }).catch((err: unknown) => err);
      expect((error as UserError).code).toBe('fetch-bad-path');
    }
    const ftp = await fetcher
      .fetch({ mirrors: ['ftp://mirror.example/repo'], path: 'x.rpm' })
      .catch((err: unknown) => err);
    expect((ftp as UserError).code).toBe('fetch-bad-mirror');
    const none = await fetcher.fetch({ mirrors: [], path: 'x.rpm' }).catch((err: unknown) => err);
    expect((none as UserError).code).toBe('fetch-no-mirror');
    const digest = await fetcher
      .fetch({
        mirrors: [repo],
        path: 'x.rpm',
        expected: { digest: { algorithm: 'sha256', hex: '../..' } },
      })
      .catch((err: unknown) => err);
    expect((digest as UserError).code).toBe('fetch-bad-digest');
  });

  it('checks its options', () => {
    expect(() => createFetcher({ cacheDir, concurrency: 0 })).toThrow(UserError);
    expect(() => createFetcher({ cacheDir, retries: -1 })).toThrow(/retries/);
  });
});
