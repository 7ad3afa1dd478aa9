import { deserialize, serialize } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApkIndexInput } from './catalog.ts';
import { PackedCatalogView, isPackedCatalog, packCatalog } from './packed-catalog.ts';
import type { PackedCatalog } from './packed-catalog.ts';
import { parseApkIndexText } from './parse-index.ts';
import type { ApkIndexRecord } from './record.ts';
import { createApkResolver, resolverOn } from './resolve.ts';
import type { ApkResolution, ApkResolver } from './resolve.ts';
import { INSTALLABLE_SETS, sampledRequests } from './test-support/alpine-sets.ts';
import { readApkIndexTextFixture } from './test-support/index-fixture.ts';

/** A second repository: a newer busybox that wins over main's, and a package only it has. */
const EDGE_INDEX = `C:Q1edgeBusyboxChecksumAAAAAAAAAA=
P:busybox
V:9.9.9-r0
A:x86_64
S:1
I:1
T:a newer busybox
D:so:libc.musl-x86_64.so.1
p:/bin/sh cmd:busybox=9.9.9-r0 cmd:sh=9.9.9-r0

C:Q1edgeOnlyChecksumBBBBBBBBBBBBBB=
P:edge-only
V:1.0-r0
A:x86_64
S:1
I:1
T:only in edge
D:busybox>=9

`;

type Outcome = ApkResolution | { refused: string };

function outcome(resolver: ApkResolver, request: readonly string[]): Outcome {
  try {
    return resolver.resolve(request);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** As the metadata cache stores and reads it back. */
function throughTheCache(packed: PackedCatalog): unknown {
  return deserialize(serialize(packed));
}

describe('the packed APK catalog', () => {
  let main: ApkIndexRecord[];
  let indexes: ApkIndexInput[];
  let packed: PackedCatalog;

  beforeAll(() => {
    main = parseApkIndexText(readApkIndexTextFixture(), { repository: 'main', file: 'APKINDEX' });
    const edge = parseApkIndexText(EDGE_INDEX, { repository: 'edge', file: 'edge/APKINDEX' });
    indexes = [
      { repository: 'main', priority: 50, records: main },
      // The same records again (one package each, listed in both), and edge's, preferred.
      { repository: 'mirror', priority: 50, records: main },
      { repository: 'edge', priority: 60, records: edge },
    ];
    packed = packCatalog(indexes, 'x86_64');
  }, 60_000);

  it('resolves every request as the graph built from the records does, refusals included', () => {
    const read = throughTheCache(packed);
    expect(isPackedCatalog(read)).toBe(true);
    const view = new PackedCatalogView(read as PackedCatalog);
    expect(view.recordCounts).toEqual([main.length, main.length, 2]);
    const built = createApkResolver(indexes, { arch: 'x86_64' });
    const fromCache = resolverOn(view);
    const requests = [
      ...INSTALLABLE_SETS,
      ['edge-only'],
      ['curl'],
      ['no-such-package'],
      ...sampledRequests(main, 120),
    ];
    let refused = 0;
    for (const request of requests) {
      const expected = outcome(built, request);
      if ('refused' in expected) refused += 1;
      expect(outcome(fromCache, request), request.join(' ')).toEqual(expected);
    }
    // Both kinds of outcome were compared, and edge's busybox won where it was asked for.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(requests.length);
    const edgeOnly = fromCache.resolve(['edge-only']).packages.map((pkg) => pkg.version);
    expect(edgeOnly).toContain('9.9.9-r0');
  });

  it('gives the same answer to a request asked again after others', () => {
    const resolver = resolverOn(new PackedCatalogView(packed));
    const first = resolver.resolve(['alpine-base', 'linux-lts']);
    resolver.resolve(['alpine-base', 'openssh', 'bash', 'docs']);
    expect(resolver.resolve(['alpine-base', 'linux-lts'])).toEqual(first);
  });

  it('is refused when read back changed: format, lengths, or a number out of range', () => {
    const mutations: [string, (copy: Record<string, unknown>) => void][] = [
      ['another format', (copy) => (copy['format'] = 0)],
      ['a node past the end', (copy) => bump(copy, 'dependents', packed.providerMix.length)],
      ['a package past the end', (copy) => bump(copy, 'providers', packed.recordEnds.length)],
      ['an index past the end', (copy) => bump(copy, 'packageRepos', 3)],
      ['a list end past its values', (copy) => bump(copy, 'dependentEnds', 1e9)],
      ['one package fewer', (copy) => (copy['packageNodes'] = packed.packageNodes.subarray(1))],
      ['a half provider', (copy) => (copy['providers'] = packed.providers.subarray(1))],
      ['records not bytes', (copy) => (copy['records'] = 'text')],
    ];
    expect(isPackedCatalog(throughTheCache(packed))).toBe(true);
    for (const [what, mutate] of mutations) {
      const copy = throughTheCache(packed) as Record<string, unknown>;
      mutate(copy);
      expect(isPackedCatalog(copy), what).toBe(false);
    }
  });
});

/** Sets the first number of a packed list to `value`. */
function bump(copy: Record<string, unknown>, field: string, value: number): void {
  const list = copy[field] as Uint32Array;
  list[0] = value;
}
