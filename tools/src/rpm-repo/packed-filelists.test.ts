import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { parseFilelists } from './filelists.ts';
import type { RpmFilelist } from './filelists.ts';
import { FilelistReader, isPackedFilelists, packFilelists } from './packed-filelists.ts';
import type { PackedFilelists } from './packed-filelists.ts';

const FILELISTS = join(
  fixture('repodata', 'centos-stream-9-baseos-x86_64'),
  'repodata',
  '7b99933643e8bff43d3d82180e7d678fac89b6a1b9b8f5f88ea93a5c3b9b5dbd-filelists.xml.gz',
);

let parsed: RpmFilelist[];
/** The packed lists after the trip through the cache file's serializer. */
let kept: PackedFilelists;

beforeAll(async () => {
  const xml = gunzipSync(readFileSync(FILELISTS));
  const chunks = [];
  for (let at = 0; at < xml.length; at += 65_536) chunks.push(xml.subarray(at, at + 65_536));
  parsed = [];
  for await (const list of parseFilelists(chunks, 'c9s')) parsed.push(list);
  const value: unknown = deserialize(serialize(packFilelists(parsed)));
  if (!isPackedFilelists(value)) throw new Error('the packed file lists do not read back');
  kept = value;
});

describe('packed file lists of CentOS Stream 9 BaseOS', () => {
  it('give back every list as it was parsed', () => {
    expect(parsed.length).toBeGreaterThan(800);
    expect([...new FilelistReader(kept).lists()]).toStrictEqual(parsed);
  });

  it('name the owners of every path, as a map of every path would', () => {
    const owners = new Map<string, string[]>();
    for (const list of parsed) {
      for (const path of new Set(list.files)) {
        owners.set(path, [...(owners.get(path) ?? []), list.pkgid]);
      }
    }
    expect(owners.size).toBeGreaterThan(50_000);
    const reader = new FilelistReader(kept);
    for (const [path, pkgids] of owners) {
      expect(
        reader.ownersOf(path).map((owner) => owner.pkgid),
        path,
      ).toStrictEqual(pkgids);
    }
    expect(reader.ownersOf('/no/such/path')).toEqual([]);
  });
});

describe('packed file lists that are not ones this version wrote', () => {
  const changed = (change: (copy: Record<string, unknown>) => void): unknown => {
    const copy = deserialize(serialize(kept)) as Record<string, unknown>;
    change(copy);
    return copy;
  };

  it('are refused', () => {
    expect(isPackedFilelists(changed((t) => (t['format'] = 2)))).toBe(false);
    expect(isPackedFilelists(changed((t) => (t['owners'] = {})))).toBe(false);
    const files = kept.files.slice();
    files[0] = kept.stringEnds.length;
    expect(isPackedFilelists(changed((t) => (t['files'] = files)))).toBe(false);
    const values = kept.byPath.values.slice();
    values[0] = kept.owners.length;
    expect(isPackedFilelists(changed((t) => (t['byPath'] = { ...kept.byPath, values })))).toBe(
      false,
    );
    const slots = new Uint32Array(kept.byPath.slots.length - 1);
    expect(isPackedFilelists(changed((t) => (t['byPath'] = { ...kept.byPath, slots })))).toBe(
      false,
    );
  });
});
