/**
 * A repository whose variant asks for signed metadata must publish repodata/repomd.xml.asc
 * (made with gpg) that verifies with the repository's keys, unless signature checking is off;
 * one that does not ask is not checked.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { UserError } from '../core/errors.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { SIGNER, STRANGER, buildTestRepositories } from '../rpm-repo/test-repository.ts';
import type { TestRepositories } from '../rpm-repo/test-repository.ts';
import { rpmBackend } from './rpm-backend.ts';
import type { BackendContext } from './index.ts';

const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

let repos: TestRepositories;
let signed: string;
let unsigned: string;
const keyDirs: Record<'signer' | 'stranger', string> = { signer: '', stranger: '' };
let caches = 0;

beforeAll(async () => {
  repos = await buildTestRepositories();
  signed = await repos.createRepository('signed');
  await repos.sign(signed, SIGNER);
  unsigned = await repos.createRepository('unsigned');
  for (const [who, user] of [
    ['signer', SIGNER],
    ['stranger', STRANGER],
  ] as const) {
    keyDirs[who] = join(signed, '..', `keys-${who}`);
    await mkdir(keyDirs[who]);
    await writeFile(join(keyDirs[who], `${who}.asc`), await repos.publicKey(user));
  }
}, 120_000);

afterAll(async () => {
  await repos.cleanup();
});

async function contextFor(
  repo: string,
  keysDir: string,
  verify: boolean,
  signedMetadata = true,
): Promise<BackendContext> {
  const cache = join(repo, '..', `cache-${++caches}`);
  return {
    spec: await loadVariant('levitate', {
      repositories: [{ url: repo, keysDir, signedMetadata }],
    }),
    reporter: quiet,
    verify,
    keyDirs: [],
    stateDir: join(cache, 'state'),
    fetcher: createFetcher({ cacheDir: join(cache, 'downloads'), offline: true }),
  };
}

async function load(context: BackendContext) {
  return rpmBackend.load(context.spec.repositories, context);
}

describe('repomd.xml.asc in the RPM backend', () => {
  it('loads a repository whose repomd.xml the trusted key signed', async () => {
    const universe = await load(await contextFor(signed, keyDirs.signer, true));
    expect(universe.repositories).toEqual([expect.objectContaining({ packages: 1 })]);
  });

  it('refuses a repomd.xml signed by a key the repository does not trust', async () => {
    const error = await load(await contextFor(signed, keyDirs.stranger, true)).then(
      () => undefined,
      (thrown: unknown) => thrown as UserError,
    );
    expect(error?.code).toBe('package-unverified');
    expect(error?.message).toMatch(
      /^failed to load the RPM metadata of override-1: \S+\/repodata\/repomd\.xml: repository "override-1", repomd\.xml: signature does not verify/,
    );
  });

  it('does not check it with --no-verify', async () => {
    const universe = await load(await contextFor(signed, keyDirs.stranger, false));
    expect(universe.repositories).toEqual([expect.objectContaining({ packages: 1 })]);
  });

  it('refuses a repository without repomd.xml.asc when the variant asks for one', async () => {
    const error = await load(await contextFor(unsigned, keyDirs.signer, true)).then(
      () => undefined,
      (thrown: unknown) => thrown as UserError,
    );
    expect(error?.message).toContain('repomd.xml');
    expect(error?.message).toContain('override-1');
  });

  it('checks nothing and loads no keys when the variant does not ask', async () => {
    const missingKeys = join(unsigned, '..', 'no-such-keys');
    for (const repo of [signed, unsigned]) {
      const universe = await load(await contextFor(repo, missingKeys, true, false));
      expect(universe.repositories).toEqual([expect.objectContaining({ packages: 1 })]);
    }
  });
});
