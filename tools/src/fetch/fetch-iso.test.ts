import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserError } from '../core/errors.ts';
import { makeIso } from '../iso9660-reader/test-images.support.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { createFetcher } from './fetcher.ts';
import { isoImageOf, parseMirror } from './mirrors.ts';
import {
  listFiles,
  makeTempDir,
  randomPayload,
  recordingReporter,
  sha256Of,
} from './test-support.ts';

const PAYLOAD = randomPayload(300_000);
const DIGEST = sha256Of(PAYLOAD);
const REPOMD = '<repomd/>\n';

let work: { path: string; remove(): Promise<void> };
let image: string;

beforeAll(async () => {
  work = await makeTempDir('fetch-iso');
  const tree = join(work.path, 'tree');
  await mkdir(join(tree, 'BaseOS', 'Packages', 'n'), { recursive: true });
  await mkdir(join(tree, 'BaseOS', 'repodata'), { recursive: true });
  await writeFile(join(tree, 'BaseOS', 'Packages', 'n', 'nano-8.0.rpm'), PAYLOAD);
  await writeFile(join(tree, 'BaseOS', 'repodata', 'repomd.xml'), REPOMD);
  image = join(work.path, 'Rocky DVD.iso');
  await makeIso(tree, image, ['-R', '-J']);
});

afterAll(async () => {
  await work.remove();
});

const request = (mirror: string): Parameters<ReturnType<typeof createFetcher>['fetch']>[0] => ({
  mirrors: [mirror],
  path: 'Packages/n/nano-8.0.rpm',
  expected: { digest: DIGEST, size: PAYLOAD.length },
  label: 'nano-8.0',
});

describe('mirrors inside ISO images', () => {
  it('parses file:// URLs and paths with a #tree', () => {
    expect(parseMirror(`${pathToFileURL(image).href}#BaseOS`)).toEqual({
      kind: 'iso',
      image,
      tree: 'BaseOS',
      display: `${image}#BaseOS`,
    });
    expect(parseMirror(`${image}#/BaseOS/`)).toMatchObject({ kind: 'iso', image, tree: 'BaseOS' });
    expect(parseMirror(`${image}#`)).toMatchObject({ kind: 'iso', image, tree: '' });
    expect(parseMirror(pathToFileURL(image).href)).toMatchObject({ kind: 'local', root: image });
    expect(parseMirror('file:///srv/with%23hash')).toMatchObject({
      kind: 'local',
      root: '/srv/with#hash',
    });
    for (const bad of [`${image}#BaseOS/../x`, '#BaseOS']) {
      expect(() => parseMirror(bad)).toThrow(/not a tree inside an ISO image/);
    }
    expect(isoImageOf(`${pathToFileURL(image).href}#BaseOS/`)).toBe(image);
    expect(isoImageOf('https://dl.rockylinux.org/pub/rocky/10/BaseOS/x86_64/os/')).toBeUndefined();
  });

  it('copies verified files out of the image into the cache', async () => {
    const cacheDir = join(work.path, 'cache-copy');
    const fetcher = createFetcher({ cacheDir });
    for (const mirror of [`${pathToFileURL(image).href}#BaseOS`, `${image}#BaseOS/`]) {
      const result = await fetcher.fetch(request(mirror));
      expect(result.file).toBe(join(cacheDir, 'sha256', DIGEST.hex.slice(0, 2), DIGEST.hex));
      expect(result.url).toBe(`${image}#BaseOS/Packages/n/nano-8.0.rpm`);
      expect((await readFile(result.file)).equals(PAYLOAD)).toBe(true);
    }
    const metadata = await fetcher.fetch({
      mirrors: [`${image}#BaseOS`],
      path: 'repodata/repomd.xml',
    });
    expect(metadata.fromCache).toBe(false);
    expect(await readFile(metadata.file, 'utf8')).toBe(REPOMD);
  });

  it('works offline, and serves a copied package from the cache afterwards', async () => {
    const cacheDir = join(work.path, 'cache-offline');
    const first = await createFetcher({ cacheDir, offline: true }).fetch(
      request(`${image}#BaseOS`),
    );
    expect(first.fromCache).toBe(false);
    const again = await createFetcher({ cacheDir, offline: true }).fetch(
      request(`${image}#BaseOS`),
    );
    expect(again.fromCache).toBe(true);
  });

  it('rejects a file whose digest or size differs, leaving nothing in the cache', async () => {
    const cacheDir = join(work.path, 'cache-mismatch');
    const reporter = recordingReporter();
    const wrong = sha256Of('something else');
    const error = await createFetcher({ cacheDir, reporter })
      .fetch({ ...request(`${image}#BaseOS`), expected: { digest: wrong, size: PAYLOAD.length } })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect((error as PackageVerifyError).file).toBe(`${image}#BaseOS/Packages/n/nano-8.0.rpm`);
    const short = await createFetcher({ cacheDir })
      .fetch({ ...request(`${image}#BaseOS`), expected: { digest: DIGEST, size: 12 } })
      .catch((err: unknown) => err);
    expect(short).toBeInstanceOf(PackageVerifyError);
    expect(
      (await listFiles(cacheDir).catch(() => [])).filter((f) => f.startsWith('sha256')),
    ).toEqual([]);
  });

  it('reports missing files and images as not found, and other files as failures', async () => {
    const fetcher = createFetcher({ cacheDir: join(work.path, 'cache-missing') });
    const missing = await fetcher
      .fetch({ mirrors: [`${image}#AppStream`], path: 'repodata/repomd.xml' })
      .catch((err: unknown) => err);
    expect((missing as UserError).code).toBe('fetch-not-found');
    expect((missing as UserError).message).toContain(`${image}#AppStream/repodata/repomd.xml`);
    const noImage = await fetcher
      .fetch({ mirrors: [`${join(work.path, 'absent.iso')}#BaseOS`], path: 'repodata/repomd.xml' })
      .catch((err: unknown) => err);
    expect((noImage as UserError).code).toBe('fetch-not-found');
    const notIso = join(work.path, 'not-an-image.iso');
    await writeFile(notIso, randomPayload(50_000));
    const failed = await fetcher
      .fetch({ mirrors: [`${notIso}#BaseOS`], path: 'repodata/repomd.xml' })
      .catch((err: unknown) => err);
    expect((failed as UserError).code).toBe('fetch-failed');
    expect((failed as UserError).message).toContain('not an ISO 9660 image');
    const directory = await fetcher
      .fetch({ mirrors: [`${image}#`], path: 'BaseOS/Packages' })
      .catch((err: unknown) => err);
    expect((directory as UserError).message).toContain('not a regular file');
  });
});
