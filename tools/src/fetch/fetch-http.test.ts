import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { createFetcher } from './fetcher.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';
import {
  listFiles,
  makeTempDir,
  randomPayload,
  recordingReporter,
  sha256Of,
} from './test-support.ts';
import type { FetcherOptions } from './types.ts';

const PAYLOAD = randomPayload(96 * 1024);
const DIGEST = sha256Of(PAYLOAD);
const FILE = '/repo/Packages/b/bash-5.2.26-3.x86_64.rpm';
const PATH = 'Packages/b/bash-5.2.26-3.x86_64.rpm';
const LABEL = 'bash-5.2.26-3.x86_64';

let server: TestServer;
let spare: TestServer;
let cache: { path: string; remove(): Promise<void> };

beforeEach(async () => {
  server = await startTestServer();
  spare = await startTestServer();
  cache = await makeTempDir('fetch-http');
});

afterEach(async () => {
  await server.close();
  await spare.close();
  await cache.remove();
});

function fetcher(options: Partial<FetcherOptions> = {}): ReturnType<typeof createFetcher> {
  return createFetcher({
    cacheDir: cache.path,
    retries: 3,
    backoffMs: 5,
    maxBackoffMs: 20,
    stallMs: 300,
    timeoutMs: 2000,
    ...options,
  });
}

function cachedPath(hex: string): string {
  return join(cache.path, 'sha256', hex.slice(0, 2), hex);
}

const request = (mirrors: string[]): Parameters<ReturnType<typeof createFetcher>['fetch']>[0] => ({
  mirrors,
  path: PATH,
  expected: { digest: DIGEST, size: PAYLOAD.length },
  label: LABEL,
});

describe('HTTP fetching', () => {
  it('retries after 5xx answers and then succeeds', async () => {
    server.serve(FILE, { body: PAYLOAD, failures: { status: 503, times: 2 } });
    const result = await fetcher().fetch(request([server.url('/repo/')]));
    expect(server.requestsFor(FILE).map((seen) => seen.status)).toEqual([503, 503, 200]);
    expect(result.fromCache).toBe(false);
    expect(result.digest).toEqual(DIGEST);
    expect(result.size).toBe(PAYLOAD.length);
    expect(result.file).toBe(cachedPath(DIGEST.hex));
    expect(result.url).toBe(server.url(`/repo/${PATH}`));
    expect(sha256Of(await readFile(result.file))).toEqual(sha256Of(PAYLOAD));
    expect(await listFiles(cache.path)).toEqual([
      join('sha256', DIGEST.hex.slice(0, 2), DIGEST.hex),
    ]);
  });

  it('resumes a broken download by asking only for the missing bytes', async () => {
    server.serve(FILE, { body: PAYLOAD, resetAfter: { bytes: 40_000, times: 1 } });
    const result = await fetcher().fetch(request([server.url('/repo/')]));
    const seen = server.requestsFor(FILE);
    expect(seen.map((entry) => [entry.status, entry.range, entry.bytesSent])).toEqual([
      [200, undefined, 40_000],
      [206, 'bytes=40000-', PAYLOAD.length - 40_000],
    ]);
    expect(seen[1]?.ifRange).toMatch(/^"/);
    expect(sha256Of(await readFile(result.file))).toEqual(sha256Of(PAYLOAD));
  });

  it('resumes after a truncated body and after a stall', async () => {
    server.serve(FILE, {
      body: PAYLOAD,
      truncateAfter: { bytes: 10_000, times: 1 },
      stallAfter: { bytes: 20_000, times: 1 },
    });
    const result = await fetcher().fetch(request([server.url('/repo/')]));
    expect(server.requestsFor(FILE).map((entry) => entry.range)).toEqual([
      undefined,
      'bytes=10000-',
      'bytes=30000-',
    ]);
    expect(sha256Of(await readFile(result.file))).toEqual(sha256Of(PAYLOAD));
  });

  it('starts again from zero when the server ignores Range or refuses it', async () => {
    server.serve(FILE, { body: PAYLOAD, ranges: false, resetAfter: { bytes: 30_000, times: 1 } });
    const ignored = await fetcher().fetch(request([server.url('/repo/')]));
    expect(server.requestsFor(FILE).map((entry) => [entry.status, entry.range])).toEqual([
      [200, undefined],
      [200, 'bytes=30000-'],
    ]);
    expect(sha256Of(await readFile(ignored.file))).toEqual(sha256Of(PAYLOAD));

    const other = randomPayload(50_000);
    server.serve('/repo/other.rpm', {
      body: other,
      resetAfter: { bytes: 1000, times: 1 },
      unsatisfiable: { times: 1 },
    });
    const refused = await fetcher().fetch({
      mirrors: [server.url('/repo')],
      path: 'other.rpm',
      expected: { digest: sha256Of(other) },
    });
    expect(
      server.requestsFor('/repo/other.rpm').map((entry) => [entry.status, entry.range]),
    ).toEqual([
      [200, undefined],
      [416, 'bytes=1000-'],
      [200, undefined],
    ]);
    expect(sha256Of(await readFile(refused.file))).toEqual(sha256Of(other));
  });

  it('fails over to the next mirror after retries, and past a 404', async () => {
    server.serve(FILE, { body: PAYLOAD, failures: { status: 500, times: 100 } });
    spare.serve(FILE, { body: PAYLOAD });
    const reporter = recordingReporter();
    const result = await fetcher({ reporter }).fetch(
      request([server.url('/repo/'), spare.url('/missing/'), spare.url('/repo/')]),
    );
    expect(server.requestsFor(FILE)).toHaveLength(4);
    expect(spare.requestsFor(`/missing/${PATH}`).map((entry) => entry.status)).toEqual([404]);
    expect(result.url).toBe(spare.url(`/repo/${PATH}`));
    expect(sha256Of(await readFile(result.file))).toEqual(sha256Of(PAYLOAD));
    expect(reporter.warnings.join('\n')).toContain('trying the next mirror');
  });

  it('fails over when a mirror refuses connections', async () => {
    const closed = await startTestServer();
    const deadUrl = closed.url('/repo/');
    await closed.close();
    spare.serve(FILE, { body: PAYLOAD });
    const result = await fetcher().fetch(request([deadUrl, spare.url('/repo/')]));
    expect(result.url).toBe(spare.url(`/repo/${PATH}`));
  });

  it('reports a file missing from every mirror, naming the path and every URL', async () => {
    const error = await fetcher()
      .fetch(request([server.url('/a/'), spare.url('/b/')]))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('fetch-not-found');
    expect((error as UserError).message).toContain(PATH);
    expect((error as UserError).message).toContain(server.url(`/a/${PATH}`));
    expect((error as UserError).message).toContain(spare.url(`/b/${PATH}`));
    expect(await listFiles(cache.path)).toEqual([]);
  });

  it('follows redirects, but not forever', async () => {
    server.serve('/old/pkg.rpm', { body: '', redirectTo: '/new/pkg.rpm' });
    server.serve('/new/pkg.rpm', { body: PAYLOAD });
    const result = await fetcher().fetch({ mirrors: [server.url('/old/')], path: 'pkg.rpm' });
    expect(sha256Of(await readFile(result.file))).toEqual(sha256Of(PAYLOAD));
    expect(result.url).toBe(server.url('/old/pkg.rpm'));

    server.serve('/loop/pkg.rpm', { body: '', redirectTo: '/loop/pkg.rpm' });
    const error = await fetcher({ maxRedirects: 3 })
      .fetch({ mirrors: [server.url('/loop/')], path: 'pkg.rpm' })
      .catch((err: unknown) => err);
    expect((error as UserError).code).toBe('fetch-failed');
    expect((error as UserError).message).toContain('more than 3 redirects');
    expect(server.requestsFor('/loop/pkg.rpm')).toHaveLength(4);
  });

  it('gives up on a download that is always cut short, naming the package, and keeps nothing', async () => {
    server.serve(FILE, {
      body: PAYLOAD,
      ranges: false,
      truncateAfter: { bytes: 5000, times: 100 },
    });
    const error = await fetcher()
      .fetch(request([server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    const userError = error as UserError;
    expect(userError.code).toBe('fetch-failed');
    expect(userError.message).toContain(LABEL);
    expect(userError.message).toContain(server.url(`/repo/${PATH}`));
    expect(userError.message).toContain(`5000 of ${PAYLOAD.length} bytes`);
    expect(userError.hint).toContain('--offline');
    expect(server.requestsFor(FILE)).toHaveLength(4);
    expect(existsSync(cachedPath(DIGEST.hex))).toBe(false);
    expect(await listFiles(cache.path)).toEqual([]);
  });

  it('rejects content with the wrong digest and keeps nothing', async () => {
    const forged = Buffer.from(PAYLOAD);
    forged[100] = (forged[100] ?? 0) ^ 0xff;
    server.serve(FILE, { body: forged });
    const error = await fetcher()
      .fetch(request([server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PackageVerifyError);
    const verifyError = error as PackageVerifyError;
    expect(verifyError.package).toBe(LABEL);
    expect(verifyError.file).toBe(server.url(`/repo/${PATH}`));
    expect(verifyError.message).toContain(`expected ${DIGEST.hex}`);
    expect(existsSync(cachedPath(DIGEST.hex))).toBe(false);
    expect(existsSync(cachedPath(sha256Of(forged).hex))).toBe(false);
    expect(await listFiles(cache.path)).toEqual([]);
  });

  it('stops a body longer than the expected size', async () => {
    server.serve(FILE, { body: Buffer.concat([PAYLOAD, PAYLOAD]) });
    const error = await fetcher()
      .fetch(request([server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect((error as PackageVerifyError).message).toContain(`expected ${PAYLOAD.length}`);
    expect(await listFiles(cache.path)).toEqual([]);
  });

  it('gives up on a server that never answers, after the timeout', async () => {
    server.serve(FILE, { body: PAYLOAD, delayMs: 1000 });
    const error = await fetcher({ timeoutMs: 100, retries: 1 })
      .fetch(request([server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect((error as UserError).code).toBe('fetch-unreachable');
    expect((error as UserError).message).toContain('no response from');
    expect((error as UserError).message).toContain('(2 attempts)');
    expect(server.requestsFor(FILE)).toHaveLength(2);
  });

  it('tells a mirror that cannot be reached at all from one that answers wrongly', async () => {
    const closed = spare.url('/repo/');
    await spare.close();
    const unreachable = await fetcher({ retries: 1 })
      .fetch(request([closed, 'http://mirror.invalid/repo/']))
      .catch((err: unknown) => err);
    expect((unreachable as UserError).code).toBe('fetch-unreachable');
    expect((unreachable as UserError).message).toContain('ECONNREFUSED');
    expect((unreachable as UserError).message).toContain('mirror.invalid');

    server.serve(FILE, { body: PAYLOAD, failures: { status: 500, times: 100 } });
    const mixed = await fetcher({ retries: 0 })
      .fetch(request([closed, server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect((mixed as UserError).code).toBe('fetch-failed');
    expect((mixed as UserError).message).toContain('HTTP 500');
    spare = await startTestServer();
  });

  it('answers 4xx refusals without retrying', async () => {
    server.serve(FILE, { body: PAYLOAD, failures: { status: 403, times: 100 } });
    const error = await fetcher()
      .fetch(request([server.url('/repo/')]))
      .catch((err: unknown) => err);
    expect((error as UserError).code).toBe('fetch-failed');
    expect((error as UserError).message).toContain('HTTP 403');
    expect(server.requestsFor(FILE)).toHaveLength(1);
  });
});
