import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetadataCache } from '../metadata-cache/index.ts';
import type { MetadataCache } from '../metadata-cache/index.ts';
import { resolveRpm } from '../rpm-resolve/index.ts';
import { fixture } from '../test-support/fixtures.ts';
import { RPM_METADATA_PARSER_VERSION, rpmMetadataParse } from './cached-parse.ts';
import { isPackedPackages, packPackages } from './packed-packages.ts';
import { loadRpmRepository, localRepoSource } from './index.ts';
import type { RepoSource, RpmFilelist, RpmRepoPackage, RpmRepository } from './index.ts';
import { temporaryCopy } from './test-repository.ts';

const ROOT = fixture('repodata', 'centos-stream-9-baseos-x86_64');

let work: string;
let reference: RpmRepository;
let referenceLists: RpmFilelist[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rpm-cached-parse-'));
  reference = await load(localRepoSource(ROOT));
  referenceLists = await collect(reference);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function load(source: RepoSource, cache?: MetadataCache): Promise<RpmRepository> {
  return loadRpmRepository(source, {
    name: 'baseos',
    priority: 10,
    requireSignature: false,
    arch: 'x86_64',
    ...(cache === undefined ? {} : { cache }),
  });
}

async function collect(repo: RpmRepository): Promise<RpmFilelist[]> {
  const lists: RpmFilelist[] = [];
  for await (const list of repo.filelists()) lists.push(list);
  return lists;
}

/** A source that records which files were opened. */
function counting(root: string): RepoSource & { readonly opened: string[] } {
  const inner = localRepoSource(root);
  const opened: string[] = [];
  return { url: inner.url, opened, open: (path) => (opened.push(path), inner.open(path)) };
}

function quietCache(dir: string) {
  const warnings: string[] = [];
  const cache = createMetadataCache(dir, { warn: (m) => warnings.push(m), debug: () => {} });
  return { cache, warnings };
}

describe('parsed CentOS Stream 9 BaseOS metadata kept between runs', () => {
  it('loads equal packages, groups and file lists from a cold and a warm cache', async () => {
    const { cache, warnings } = quietCache(join(work, 'round-trip'));
    const cold = counting(ROOT);
    const first = await load(cold, cache);
    const firstLists = await collect(first);
    const warm = counting(ROOT);
    const second = await load(warm, cache);
    const secondLists = await collect(second);

    expect(second.packages).toHaveLength(883);
    for (const repo of [first, second]) {
      expect(repo.packages).toStrictEqual(reference.packages);
      expect(repo.comps).toStrictEqual(reference.comps);
    }
    expect(firstLists).toStrictEqual(referenceLists);
    expect(secondLists).toStrictEqual(referenceLists);
    expect(cold.opened.filter((path) => path.endsWith('.xml.gz'))).toHaveLength(3);
    // Warm: repomd.xml is read (and would be verified) every time; nothing else is opened.
    expect(warm.opened).toEqual(['repodata/repomd.xml']);
    expect(warnings).toEqual([]);
  });

  it('resolves the same set from the warm cache', async () => {
    const { cache } = quietCache(join(work, 'resolve'));
    await load(localRepoSource(ROOT), cache);
    const warm = await load(localRepoSource(ROOT), cache);
    const request = ['bash', 'systemd'];
    const options = { arch: 'x86_64' };
    const expected = await resolveRpm([reference], request, options);
    const found = await resolveRpm([warm], request, options);
    expect(found.packages).toStrictEqual(expected.packages);
  });

  it('parses a changed primary.xml again, as the repomd.xml now lists it', async () => {
    const copy = await temporaryCopy(ROOT);
    try {
      const { cache } = quietCache(join(work, 'changed'));
      expect(findBash(await load(localRepoSource(copy.dir), cache)).summary).toBe(
        'The GNU Bourne Again shell',
      );
      await rewritePrimary(copy.dir, (xml) =>
        xml.replace('The GNU Bourne Again shell', 'A changed shell'),
      );
      const source = counting(copy.dir);
      const changed = await load(source, cache);
      expect(findBash(changed).summary).toBe('A changed shell');
      expect(source.opened.some((path) => path.endsWith('primary.xml.gz'))).toBe(true);
    } finally {
      await copy.cleanup();
    }
  });

  it('parses again what another parser version kept, and trusts its own version', async () => {
    const { cache } = quietCache(join(work, 'version'));
    const source = localRepoSource(ROOT);
    const repomd = (await load(source)).repomd;
    const primary = repomd.data.find((entry) => entry.type === 'primary');
    if (primary === undefined) throw new Error('no primary in the fixture');
    const scope = { name: 'baseos', source, arch: 'x86_64' };
    const keep = (into: MetadataCache, version: number, packages: RpmRepoPackage[]) =>
      into.remember(
        rpmMetadataParse(
          'rpm-primary',
          primary,
          scope,
          async () => packPackages(packages),
          isPackedPackages,
          version,
        ),
      );

    await keep(cache, RPM_METADATA_PARSER_VERSION - 1, []);
    expect((await load(source, cache)).packages).toStrictEqual(reference.packages);
    // The key of this version is trusted as it is: that is why the version must be in it.
    const planted = quietCache(join(work, 'version-planted')).cache;
    await keep(planted, RPM_METADATA_PARSER_VERSION, []);
    expect((await load(source, planted)).packages).toEqual([]);
  });

  it('parses again, with no error, a cache file that was truncated or damaged', async () => {
    const dir = join(work, 'damaged');
    const { cache, warnings } = quietCache(dir);
    await load(localRepoSource(ROOT), cache);
    const files = (await readdir(dir)).filter((name) => name.startsWith('rpm-primary-'));
    expect(files).toHaveLength(1);
    const file = join(dir, files[0] ?? '');
    await truncate(file, 4096);
    expect((await load(localRepoSource(ROOT), cache)).packages).toStrictEqual(reference.packages);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1;
    await writeFile(file, bytes);
    expect((await load(localRepoSource(ROOT), cache)).packages).toStrictEqual(reference.packages);
    expect(warnings).toEqual([]);
  });

  it('still loads and resolves when the cache cannot be written, with one warning', async () => {
    const blocker = join(work, 'not-a-folder');
    await writeFile(blocker, '');
    const { cache, warnings } = quietCache(join(blocker, 'parsed'));
    const repo = await load(localRepoSource(ROOT), cache);
    expect(repo.packages).toStrictEqual(reference.packages);
    const resolution = await resolveRpm([repo], ['bash'], { arch: 'x86_64' });
    expect(resolution.packages.map((pkg) => pkg.name)).toContain('bash');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot keep the parsed .* metadata of baseos/);
  });
});

function findBash(repo: RpmRepository): RpmRepoPackage {
  const bash = repo.packages.find((pkg) => pkg.name === 'bash');
  if (bash === undefined) throw new Error('no bash');
  return bash;
}

/** Edits primary.xml in place and updates what repomd.xml says about it. */
async function rewritePrimary(root: string, edit: (xml: string) => string): Promise<void> {
  const repomdPath = join(root, 'repodata', 'repomd.xml');
  const repomd = await readFile(repomdPath, 'utf8');
  const block = /<data type="primary">[\s\S]*?<\/data>/.exec(repomd)?.[0];
  const href = block && /<location href="([^"]+)"/.exec(block)?.[1];
  if (block === undefined || href === undefined) throw new Error('no primary in repomd.xml');
  const path = join(root, href);
  const xml = Buffer.from(edit(gunzipSync(await readFile(path)).toString('utf8')), 'utf8');
  const stored = gzipSync(xml);
  await writeFile(path, stored);
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const updated = block
    .replace(/<checksum type="sha256">\w+</, `<checksum type="sha256">${sha256(stored)}<`)
    .replace(/<open-checksum type="sha256">\w+</, `<open-checksum type="sha256">${sha256(xml)}<`)
    .replace(/<size>\d+</, `<size>${stored.length}<`)
    .replace(/<open-size>\d+</, `<open-size>${xml.length}<`);
  await writeFile(repomdPath, repomd.replace(block, updated));
}
