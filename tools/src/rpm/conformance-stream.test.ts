/**
 * Streaming extraction of every package under the fixtures' rpm/ folder, checked against
 * `rpm -qp --dump`: the content of each regular file, hashed here independently of the reader,
 * must have the digest and size rpm lists; hardlinks, ghosts and capabilities come out as the
 * header says. The one corrupted fixture must be refused, naming the file.
 */

import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wholeEntries } from '../packages/content.ts';
import type { WholeEntry } from '../packages/content.ts';
import { PackageFormatError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { listRpmEntries } from './files.ts';
import { readRpmHeaders } from './package-headers.ts';
import { measureRpmExtraction } from './measure.ts';
import {
  findPackages,
  queryReferences,
  type RpmReference,
  withRpmDatabase,
} from './rpm-reference.ts';
import { streamRpmEntries } from './stream.ts';

const root = fixture('rpm');
const CORRUPTED = 'synthetic/rpm-software-management_rpm/RPMS/hello-2.0-1.x86_64-corrupted.rpm';
const packages = findPackages(root)
  .map((file) => [relative(root, file), file] as const)
  .filter(([name]) => name !== CORRUPTED);

const ALGORITHM_BY_LENGTH: Readonly<Record<number, string>> = {
  32: 'md5',
  40: 'sha1',
  56: 'sha224',
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};

let references = new Map<string, RpmReference>();
beforeAll(async () => {
  const files = packages.map(([, file]) => file);
  references = await withRpmDatabase((dbpath) => queryReferences(files, dbpath));
}, 60_000);

function referenceOf(file: string): RpmReference {
  const reference = references.get(file);
  if (reference === undefined) throw new Error(`rpm did not describe ${file}`);
  return reference;
}

async function streamAll(file: string): Promise<WholeEntry[]> {
  const out: WholeEntry[] = [];
  for await (const streamed of wholeEntries(streamRpmEntries(file))) out.push(streamed);
  return out;
}

describe('streamed content agrees with rpm 4.18', () => {
  it.concurrent.for(packages)('%s', async ([, file], { expect }) => {
    const reference = referenceOf(file);
    const headers = await readRpmHeaders(file);
    const listed = listRpmEntries(headers);
    const streamed = await streamAll(file);

    expect(streamed.map((item) => item.entry.path).sort()).toEqual(
      listed.map((entry) => entry.path).sort(),
    );
    const position = new Map(streamed.map((item, index) => [item.entry.path, index]));
    const contentDigest = new Map<string, string>();
    listed.forEach((entry, index) => {
      const line = reference.dump[index] ?? '';
      const printed = headers.isSource ? entry.path.slice(1) : entry.path;
      expect(line.startsWith(`${printed} `), entry.path).toBe(true);
      const [size, , digest] = line.slice(printed.length + 1).split(' ');
      const item = streamed[position.get(entry.path) ?? -1];
      expect(item?.entry).toEqual(entry);
      if (entry.type === 'file' && !entry.flags.includes('ghost')) {
        const content = item?.content;
        expect(content, entry.path).toBeDefined();
        const algorithm = ALGORITHM_BY_LENGTH[digest?.length ?? 0] ?? 'sha256';
        const actual = createHash(algorithm)
          .update(content ?? new Uint8Array())
          .digest('hex');
        expect(actual, entry.path).toBe(digest);
        expect(content?.length, entry.path).toBe(Number(size));
        contentDigest.set(entry.path, actual);
      } else {
        expect(item?.content, entry.path).toBeUndefined();
      }
    });
    for (const entry of listed.filter((candidate) => candidate.type === 'hardlink')) {
      const target = entry.linkTarget ?? '';
      expect(position.get(target) ?? Infinity, entry.path).toBeLessThan(
        position.get(entry.path) ?? -1,
      );
      expect(contentDigest.get(target), entry.path).toBe(entry.digest?.hex);
    }
  });

  it('refuses the corrupted package (its payload is missing), naming the file', async () => {
    const file = join(root, CORRUPTED);
    const error = await streamAll(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PackageFormatError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('hello-2.0-1.x86_64');
  });
});

describe('hardlinks and file capabilities', () => {
  const summary = async (file: string) =>
    (await streamAll(fixture('rpm', file))).map(({ entry, content }) => ({
      path: entry.path,
      type: entry.type,
      ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
      ...(content === undefined ? {} : { content: Buffer.from(content).toString('latin1') }),
      ...(entry.capabilities === undefined ? {} : { capabilities: entry.capabilities }),
    }));

  it('newc payload: the last member of each set in header order carries the content', async () => {
    const items = await summary(
      'synthetic/rpm-software-management_rpm/RPMS/hlinktest-1.0-1.noarch.rpm',
    );
    const links = items.filter((item) => item.path.startsWith('/foo/'));
    expect(links.map((item) => [item.path, item.type, item.linkTarget])).toEqual([
      ['/foo/copyllo', 'file', undefined],
      ['/foo/zzzz', 'file', undefined],
      ['/foo/aaaa', 'hardlink', '/foo/zzzz'],
      ['/foo/hello-world', 'file', undefined],
      ['/foo/hello', 'hardlink', '/foo/hello-world'],
      ['/foo/hello-bar', 'hardlink', '/foo/hello-world'],
      ['/foo/hello-foo', 'hardlink', '/foo/hello-world'],
    ]);
  });

  it('stripped (v6) payload: the same rule', async () => {
    const items = await summary('synthetic/rpm-rs_rpm/RPMS/v6/rpm-hardlinks-1.0-1.noarch.rpm');
    expect(items).toEqual([
      { path: '/opt/rpm-hardlinks/standalone', type: 'file', content: 'standalone\n' },
      { path: '/opt/rpm-hardlinks/alpha-3', type: 'file', content: 'shared-content-alpha\n' },
      {
        path: '/opt/rpm-hardlinks/alpha-1',
        type: 'hardlink',
        linkTarget: '/opt/rpm-hardlinks/alpha-3',
      },
      {
        path: '/opt/rpm-hardlinks/alpha-2',
        type: 'hardlink',
        linkTarget: '/opt/rpm-hardlinks/alpha-3',
      },
      { path: '/opt/rpm-hardlinks/beta-2', type: 'file', content: 'shared-content-beta\n' },
      {
        path: '/opt/rpm-hardlinks/beta-1',
        type: 'hardlink',
        linkTarget: '/opt/rpm-hardlinks/beta-2',
      },
    ]);
  });

  it('carries file capabilities in text form', async () => {
    const caps = (items: Awaited<ReturnType<typeof summary>>) =>
      items
        .filter((item) => item.capabilities !== undefined)
        .map((item) => [item.path, item.capabilities]);
    expect(
      caps(await summary('synthetic/rpm-rs_rpm/RPMS/v6/rpm-file-attrs-1.0-1.noarch.rpm')),
    ).toEqual([
      ['/opt/rpm-file-attrs/empty_caps', '='],
      ['/opt/rpm-file-attrs/empty_caps2', '='],
      ['/opt/rpm-file-attrs/with_caps', 'cap_sys_ptrace,cap_sys_admin=ep'],
    ]);
    expect(
      caps(await summary('synthetic/rpmlint/testsuidpermissionscheck-0.0.1-0.x86_64.rpm')),
    ).toEqual([['/var/lib/testsuidpermissionscheck/test_permissions_fscaps', 'cap_net_raw=ep']]);
  });

  it('measures an extraction without writing anything', async () => {
    const result = await measureRpmExtraction(
      fixture('rpm', 'synthetic/rpm-rs_rpm/RPMS/v6/rpm-hardlinks-1.0-1.noarch.rpm'),
    );
    expect(result).toEqual({ entries: 6, bytes: 11 + 21 + 20 });
  });
});
