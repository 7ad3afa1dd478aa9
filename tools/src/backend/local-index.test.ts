import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { fixture } from '../test-support/fixtures.ts';
import { loadBackend } from './registry.ts';
import type { BackendContext } from './index.ts';
import { assertLocalIndex } from './local-index.ts';

const RPM = { format: 'RPM', indexPath: 'repodata/repomd.xml', holds: 'repodata/' };
const APK = { format: 'APK', indexPath: 'x86_64/APKINDEX.tar.gz', holds: 'x86_64/' };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'local-index-'));
  // A Rocky-style tree: the repository is two levels below the folder a user may give.
  await mkdir(join(work, 'rocky/BaseOS/x86_64/os/repodata'), { recursive: true });
  await writeFile(join(work, 'rocky/BaseOS/x86_64/os/repodata/repomd.xml'), '<repomd/>');
  // An Alpine-style tree: the repository URL leaves out the architecture.
  await mkdir(join(work, 'alpine/main'), { recursive: true });
  await symlink(
    fixture('apk', 'synthetic', 'apko-repo', 'packages', 'x86_64'),
    join(work, 'alpine/main/x86_64'),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function failure(url: string, layout: typeof RPM): Promise<UserError> {
  const error: unknown = await assertLocalIndex(url, layout).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const url = (...parts: string[]) => pathToFileURL(join(work, ...parts)).href;

describe('a local repository without its index', () => {
  it('says where the index was looked for and names the folder below that holds it', async () => {
    const error = await failure(url('rocky/BaseOS'), RPM);
    expect(error.code).toBe('repo-index-missing');
    expect(error.message).toBe(
      `no RPM repository at ${join(work, 'rocky/BaseOS')}: its index is missing, there is no repodata/repomd.xml in it (${join(work, 'rocky/BaseOS/repodata/repomd.xml')})`,
    );
    expect(error.hint).toBe(
      `use --repo ${join(work, 'rocky/BaseOS/x86_64/os')}, which holds repodata/repomd.xml`,
    );
    expect(error.hint).not.toMatch(/offline/);
  });

  it('names the folder above, for a path given down to repodata/', async () => {
    const error = await failure(url('rocky/BaseOS/x86_64/os/repodata'), RPM);
    expect(error.hint).toBe(
      `use --repo ${join(work, 'rocky/BaseOS/x86_64/os')}, which holds repodata/repomd.xml`,
    );
  });

  it('tells an APK user that the URL leaves out the architecture', async () => {
    const error = await failure(url('alpine/main/x86_64'), APK);
    expect(error.message).toContain(
      `there is no x86_64/APKINDEX.tar.gz in it (${join(work, 'alpine/main/x86_64/x86_64/APKINDEX.tar.gz')})`,
    );
    expect(error.hint).toBe(
      `use --repo ${join(work, 'alpine/main')}, which holds x86_64/APKINDEX.tar.gz (an APK repository URL leaves out the architecture: apk adds it, then APKINDEX.tar.gz)`,
    );
  });

  it('says so when the folder does not exist', async () => {
    const error = await failure(url('nowhere'), RPM);
    expect(error.message).toBe(
      `no RPM repository at ${join(work, 'nowhere')}: the folder does not exist`,
    );
    expect(error.hint).toBe('give the folder that holds repodata/');
  });

  it('leaves remote repositories, ISO trees and complete local ones alone', async () => {
    await assertLocalIndex('https://example.org/BaseOS/', RPM);
    await assertLocalIndex(`${url('image.iso')}#BaseOS`, RPM);
    await assertLocalIndex(url('rocky/BaseOS/x86_64/os'), RPM);
    await assertLocalIndex(`${url('alpine/main')}/`, APK);
  });
});

describe('loading a --repo without its index', () => {
  const quiet = createReporter({
    mode: 'plain',
    stream: { write: () => true } as unknown as NodeJS.WritableStream,
  });

  async function loadError(variant: string, repo: string): Promise<UserError> {
    const spec = await loadVariant(variant, {
      repositories: [{ url: repo, keysDir: fixture('keys', 'test') }],
    });
    const context: BackendContext = {
      spec,
      fetcher: createFetcher({ cacheDir: join(work, 'cache'), offline: true }),
      reporter: quiet,
      keyDirs: [],
      verify: true,
      stateDir: join(work, 'state'),
    };
    const error: unknown = await (
      await loadBackend(spec.family)
    )
      .load(spec.repositories, context)
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }

  it('names the folder with the APKINDEX offline, instead of blaming the cache', async () => {
    const error = await loadError('acorn', join(work, 'alpine/main/x86_64'));
    expect(error.code).toBe('repo-index-missing');
    expect(error.hint).toContain(`use --repo ${join(work, 'alpine/main')}`);
    expect(error.hint).not.toContain('without --offline');
  });

  it('names the folder with repodata/ for an RPM variant', async () => {
    const error = await loadError('levitate', join(work, 'rocky/BaseOS'));
    expect(error.code).toBe('repo-index-missing');
    expect(error.hint).toContain(`use --repo ${join(work, 'rocky/BaseOS/x86_64/os')}`);
  });
});

describe('a file missing from a local repository, offline', () => {
  it('is reported as missing there, not as missing from the cache', async () => {
    const fetcher = createFetcher({ cacheDir: join(work, 'cache'), offline: true });
    const error: unknown = await fetcher
      .fetch({ mirrors: [join(work, 'rocky/BaseOS/x86_64/os')], path: 'Packages/b/bash.rpm' })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(UserError);
    const missing = error as UserError;
    expect(missing.code).toBe('fetch-not-found');
    expect(missing.message).toContain(join(work, 'rocky/BaseOS/x86_64/os/Packages/b/bash.rpm'));
    expect(missing.hint).toMatch(/^the repository on this machine lacks the file/);
  });
});
