import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { createFetcher } from '../fetch/index.ts';
import { startTestServer } from '../fetch/test-server.ts';
import type { TestServer } from '../fetch/test-server.ts';
import { makeTempDir } from '../fetch/test-support.ts';
import { chooseRepositories, originFromFlags, probeRepositories } from './repository-choice.ts';

let server: TestServer;
let cache: { path: string; remove(): Promise<void> };

beforeEach(async () => {
  server = await startTestServer();
  cache = await makeTempDir('repository-choice');
});
afterEach(async () => {
  await server.close();
  await cache.remove();
});

/** AcornOS with its two repositories at the given URLs. */
async function acornAt(main: string, community: string): Promise<VariantSpec> {
  const spec = await loadVariant('acorn');
  const [first, second] = spec.repositories;
  if (first === undefined || second === undefined) throw new Error('acorn has two repositories');
  return {
    ...spec,
    repositories: [
      { ...first, url: main },
      { ...second, url: community },
    ],
  };
}

/** A URL on 127.0.0.1 where nothing listens any more. */
async function closedPort(): Promise<string> {
  const gone = await startTestServer();
  const url = gone.url('/alpine/main');
  await gone.close();
  return url;
}

const INDEX = 'x86_64/APKINDEX.tar.gz';

async function choose(spec: VariantSpec) {
  const probes = await probeRepositories(spec, { downloadsDir: cache.path, timeoutMs: 2000 });
  try {
    return { choice: chooseRepositories(probes), probes };
  } catch (error) {
    return { error: error as UserError, probes };
  }
}

describe('choosing between the variant mirrors and the offline fixture', () => {
  it('keeps the variant when every repository answers', async () => {
    server.serve(`/main/${INDEX}`, { body: 'index' });
    server.serve(`/community/${INDEX}`, { body: 'index' });
    const { choice } = await choose(await acornAt(server.url('/main'), server.url('/community')));
    expect(choice).toEqual({ origin: 'variant' });
  });

  it('falls back only when no mirror can be reached and none is cached', async () => {
    const { choice, probes } = await choose(
      await acornAt(await closedPort(), 'http://mirror.invalid/alpine/community'),
    );
    expect(probes.map((probe) => probe.state)).toEqual(['unreachable', 'unreachable']);
    expect(choice?.origin).toBe('fixture');
    expect(choice?.origin === 'fixture' && choice.reason).toMatch(/main .*ECONNREFUSED/s);
    expect(choice?.origin === 'fixture' && choice.reason).toMatch(/community .*mirror\.invalid/s);
  });

  it('refuses a repository that answers wrongly, naming it and the cause', async () => {
    server.serve(`/main/${INDEX}`, { body: 'index' });
    const { error } = await choose(await acornAt(server.url('/main'), server.url('/typo')));
    expect(error).toBeInstanceOf(UserError);
    expect(error?.code).toBe('repository-unusable');
    expect(error?.message).toContain(`repository community (${server.url('/typo')})`);
    expect(error?.message).toContain('HTTP 404');
  });

  it('refuses when only some repositories are out of reach', async () => {
    server.serve(`/main/${INDEX}`, { body: 'index' });
    const { error } = await choose(await acornAt(server.url('/main'), await closedPort()));
    expect(error?.code).toBe('repository-unreachable');
    expect(error?.message).toMatch(/community .*ECONNREFUSED/s);
    expect(error?.message).toContain('while main answer');
  });

  it('refuses to fall back when the cache holds an index of the variant, and points at --offline', async () => {
    const mirror = await startTestServer();
    mirror.serve(`/main/${INDEX}`, { body: 'index' });
    const spec = await acornAt(mirror.url('/main'), 'http://mirror.invalid/alpine/community');
    await createFetcher({ cacheDir: cache.path }).fetch({
      mirrors: [mirror.url('/main')],
      path: INDEX,
    });
    await mirror.close();
    const { error, probes } = await choose(spec);
    expect(probes.map((probe) => probe.state === 'unreachable' && probe.cached)).toEqual([
      true,
      false,
    ]);
    expect(error?.code).toBe('mirrors-unreachable');
    expect(error?.message).toContain('the cache holds the index of main');
    expect(error?.hint).toContain('--offline');
  });
});

describe('the origin the flags decide', () => {
  it('is the command line for --repo, the fixture for --fixture, the variant offline', () => {
    expect(originFromFlags({ repo: ['/srv/repo'], fixture: true })).toBe('command-line');
    expect(originFromFlags({ repo: [], fixture: true, offline: true })).toBe('fixture');
    expect(originFromFlags({ repo: [], offline: true })).toBe('variant');
    expect(originFromFlags({ repo: [] })).toBeUndefined();
  });
});
