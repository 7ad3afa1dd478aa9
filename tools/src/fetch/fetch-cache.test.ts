import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { createFetcher } from './fetcher.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';
import {
  digestOf,
  listFiles,
  makeTempDir,
  randomPayload,
  recordingReporter,
  sha256Of,
} from './test-support.ts';
import type { FetchProgress, FetchRequest, FetcherOptions } from './types.ts';

const PAYLOAD = randomPayload(64 * 1024);
const DIGEST = sha256Of(PAYLOAD);

let server: TestServer;
let cache: { path: string; remove(): Promise<void> };

beforeEach(async () => {
  server = await startTestServer();
  cache = await makeTempDir('fetch-cache');
});

afterEach(async () => {
  await server.close();
  await cache.remove();
});

function fetcher(options: Partial<FetcherOptions> = {}): ReturnType<typeof createFetcher> {
  return createFetcher({
    cacheDir: cache.path,
    retries: 2,
    backoffMs: 5,
    maxBackoffMs: 20,
    stallMs: 300,
    ...options,
  });
}

function packageRequest(): FetchRequest {
  return {
    mirrors: [server.url('/repo/')],
    path: 'Packages/z/zlib-1.3.rpm',
    expected: { digest: DIGEST, size: PAYLOAD.length },
    label: 'zlib-1.3',
  };
}

describe('the content-addressed cache', () => {
  it('serves a second request from the cache without touching the network', async () => {
    server.serve('/repo/Packages/z/zlib-1.3.rpm', { body: PAYLOAD });
    const first = await fetcher().fetch(packageRequest());
    expect(first.file).toBe(join(cache.path, 'sha256', DIGEST.hex.slice(0, 2), DIGEST.hex));
    const second = await fetcher().fetch(packageRequest());
    expect(second).toMatchObject({ file: first.file, fromCache: true, size: PAYLOAD.length });
    expect(second.url).toBe(server.url('/repo/Packages/z/zlib-1.3.rpm'));
    expect(server.requests).toHaveLength(1);
  });

  it('detects a damaged cache entry, says so, and fetches the file again', async () => {
    server.serve('/repo/Packages/z/zlib-1.3.rpm', { body: PAYLOAD });
    const first = await fetcher().fetch(packageRequest());
    const damaged = Buffer.from(PAYLOAD);
    damaged[0] = (damaged[0] ?? 0) ^ 1;
    await writeFile(first.file, damaged);
    const reporter = recordingReporter();
    const second = await fetcher({ reporter }).fetch(packageRequest());
    expect(second.fromCache).toBe(false);
    expect(sha256Of(await readFile(second.file))).toEqual(sha256Of(PAYLOAD));
    expect(server.requests).toHaveLength(2);
    expect(reporter.warnings).toHaveLength(1);
    expect(reporter.warnings[0]).toContain('zlib-1.3');
    expect(reporter.warnings[0]).toContain('damaged');
    await writeFile(first.file, PAYLOAD.subarray(0, 100));
    const third = await fetcher().fetch(packageRequest());
    expect(third.fromCache).toBe(false);
    expect(sha256Of(await readFile(third.file))).toEqual(sha256Of(PAYLOAD));
  });

  it('finds files by another digest algorithm, online and offline', async () => {
    const sha1 = digestOf('sha1', PAYLOAD);
    server.serve('/repo/old.rpm', { body: PAYLOAD });
    const online = await fetcher().fetch({
      mirrors: [server.url('/repo/')],
      path: 'old.rpm',
      expected: { digest: { algorithm: 'sha1', hex: sha1.hex.toUpperCase() } },
    });
    expect(online.digest).toEqual(DIGEST);
    expect(await listFiles(cache.path)).toEqual([
      join('refs', 'sha1', sha1.hex.slice(0, 2), sha1.hex),
      join('sha256', DIGEST.hex.slice(0, 2), DIGEST.hex),
    ]);
    const offline = await fetcher({ offline: true }).fetch({
      mirrors: [server.url('/elsewhere/')],
      path: 'old.rpm',
      expected: { digest: sha1 },
    });
    expect(offline).toMatchObject({ file: online.file, fromCache: true, digest: DIGEST });
    expect(server.requests).toHaveLength(1);
  });
});

describe('offline mode', () => {
  it('uses cached files, and names what is missing', async () => {
    server.serve('/repo/Packages/z/zlib-1.3.rpm', { body: PAYLOAD });
    server.serve('/repo/repodata/repomd.xml', { body: '<repomd/>' });
    await fetcher().fetch(packageRequest());
    await fetcher().fetch({ mirrors: [server.url('/repo/')], path: 'repodata/repomd.xml' });
    await server.close();

    const offline = fetcher({ offline: true });
    const hit = await offline.fetch(packageRequest());
    expect(hit.fromCache).toBe(true);
    const metadata = await offline.fetch({
      mirrors: [server.url('/repo/')],
      path: 'repodata/repomd.xml',
    });
    expect(metadata.fromCache).toBe(true);
    expect(await readFile(metadata.file, 'utf8')).toBe('<repomd/>');

    const error = await offline
      .fetch({ mirrors: [server.url('/repo/')], path: 'Packages/a/acl.rpm', label: 'acl-2.3' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    const miss = error as UserError;
    expect(miss.code).toBe('fetch-offline-miss');
    expect(miss.message).toContain('acl-2.3 (Packages/a/acl.rpm)');
    expect(miss.message).toContain(cache.path);
    expect(miss.hint).toContain('without --offline');
    expect(miss.hint).toContain('--repo');
    server = await startTestServer();
  });

  it('refreshes files without a digest when online, and uses the latest copy offline', async () => {
    const request = { mirrors: [server.url('/repo/')], path: 'repodata/repomd.xml' };
    server.serve('/repo/repodata/repomd.xml', { body: 'revision 1' });
    const first = await fetcher().fetch(request);
    server.serve('/repo/repodata/repomd.xml', { body: 'revision 2' });
    const second = await fetcher().fetch(request);
    expect(second.fromCache).toBe(false);
    expect(await readFile(second.file, 'utf8')).toBe('revision 2');
    expect(await readFile(first.file, 'utf8')).toBe('revision 1');
    const offline = await fetcher({ offline: true }).fetch(request);
    expect(offline.file).toBe(second.file);
    expect(server.requests).toHaveLength(2);
  });
});

describe('batches', () => {
  it('never runs more downloads at once than the concurrency allows', async () => {
    const requests: FetchRequest[] = [];
    for (let index = 0; index < 10; index += 1) {
      const body = randomPayload(4096 + index);
      server.serve(`/repo/p${index}.rpm`, { body, delayMs: 40 });
      requests.push({
        mirrors: [server.url('/repo/')],
        path: `p${index}.rpm`,
        expected: { digest: sha256Of(body) },
      });
    }
    const results = await fetcher({ concurrency: 3 }).fetchAll(requests);
    expect(results.map((result) => result.size)).toEqual(requests.map((_, index) => 4096 + index));
    expect(server.requests).toHaveLength(10);
    expect(server.maxConcurrent).toBe(3);
  });

  it('reports progress in bytes across the batch up to the total', async () => {
    const sizes = [30_000, 50_000, 70_000];
    const requests = sizes.map((size, index): FetchRequest => {
      const body = randomPayload(size);
      server.serve(`/repo/f${index}`, { body });
      // The last file's size is left for the server to announce.
      const expected = index === 2 ? { digest: sha256Of(body) } : { digest: sha256Of(body), size };
      return { mirrors: [server.url('/repo/')], path: `f${index}`, expected };
    });
    const events: FetchProgress[] = [];
    const reporter = recordingReporter();
    await fetcher({ onProgress: (event) => events.push(event), reporter }).fetchAll(requests);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(events[0]).toEqual({ bytesDone: 0, bytesTotal: 80_000, filesDone: 0, filesTotal: 3 });
    expect(events.at(-1)).toEqual({
      bytesDone: total,
      bytesTotal: total,
      filesDone: 3,
      filesTotal: 3,
    });
    for (const [index, event] of events.entries()) {
      expect(event.bytesDone).toBeLessThanOrEqual(event.bytesTotal);
      expect(event.bytesDone).toBeGreaterThanOrEqual(events[index - 1]?.bytesDone ?? 0);
    }
    expect(reporter.progressEvents.at(-1)).toEqual({ current: total, total, label: '3/3 files' });
  });

  it('stops the batch at the first failure and leaves no partial files', async () => {
    server.serve('/repo/slow.rpm', { body: PAYLOAD, stallAfter: { bytes: 1000, times: 100 } });
    const requests: FetchRequest[] = [
      { mirrors: [server.url('/repo/')], path: 'slow.rpm', expected: { digest: DIGEST } },
      { mirrors: [server.url('/repo/')], path: 'missing.rpm', label: 'missing-1.0' },
    ];
    const error = await fetcher({ stallMs: 5000 })
      .fetchAll(requests)
      .catch((err: unknown) => err);
    expect((error as UserError).code).toBe('fetch-not-found');
    expect((error as UserError).message).toContain('missing-1.0');
    expect(await listFiles(cache.path)).toEqual([]);
    expect(existsSync(join(cache.path, 'sha256', DIGEST.hex.slice(0, 2), DIGEST.hex))).toBe(false);
  });

  it('can be aborted by the caller', async () => {
    server.serve('/repo/slow.rpm', { body: PAYLOAD, stallAfter: { bytes: 1000, times: 100 } });
    const controller = new AbortController();
    const pending = fetcher({ stallMs: 5000 }).fetch(
      { mirrors: [server.url('/repo/')], path: 'slow.rpm', expected: { digest: DIGEST } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await expect(pending).rejects.toThrow('interrupted');
    expect(await listFiles(cache.path)).toEqual([]);
  });
});
