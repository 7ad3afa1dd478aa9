import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { indexPackages } from '../rpm-resolve/repo-index.ts';
import {
  isPackedPackages,
  packPackages,
  packedProvidesOf,
  unpackPackages,
} from './packed-packages.ts';
import type { PackedPackages } from './packed-packages.ts';
import { parsePrimary } from './primary.ts';
import type { RpmRepoPackage } from './types.ts';

const PRIMARY = join(
  fixture('repodata', 'centos-stream-9-baseos-x86_64'),
  'repodata',
  '130494033cb9bffa40828ebc814d016920d9ce5d60041467af283ffcf38adef0-primary.xml.gz',
);

let parsed: RpmRepoPackage[];
/** The packed table after the trip through the cache file's serializer. */
let kept: PackedPackages;

beforeAll(async () => {
  parsed = [];
  const xml = gunzipSync(readFileSync(PRIMARY));
  const chunks = [];
  for (let at = 0; at < xml.length; at += 65_536) chunks.push(xml.subarray(at, at + 65_536));
  for await (const pkg of parsePrimary(chunks, 'c9s')) {
    parsed.push(pkg);
  }
  const value: unknown = deserialize(serialize(packPackages(parsed)));
  if (!isPackedPackages(value)) throw new Error('the packed table does not read back');
  kept = value;
});

describe('packed packages of CentOS Stream 9 BaseOS', () => {
  it('read back as the same packages, field for field and in the same key order', () => {
    const unpacked = unpackPackages(kept);
    expect(unpacked).toHaveLength(parsed.length);
    expect(parsed.length).toBeGreaterThan(800);
    expect(JSON.stringify(unpacked)).toBe(JSON.stringify(parsed));
    expect(unpacked).toStrictEqual(parsed.map((pkg) => ({ ...pkg })));
  });

  it('decode a list once, on first read', () => {
    const [first] = unpackPackages(kept);
    expect(first?.provides).toBe(first?.provides);
    expect(first?.provides.length).toBeGreaterThan(0);
  });

  it('find every capability as the full index does, in the same order', () => {
    const eager = indexPackages(parsed.slice());
    const lazy = indexPackages(unpackPackages(kept));
    const names = new Set(parsed.flatMap((pkg) => [pkg.name, ...pkg.provides.map((d) => d.name)]));
    expect(names.size).toBeGreaterThan(10_000);
    for (const name of names) {
      expect(lazy.provides.get(name), name).toStrictEqual(eager.provides.get(name));
    }
    expect(lazy.provides.get('no-such-capability')).toBeUndefined();
  });

  it('give up the lookup once the list is changed', () => {
    const unpacked = unpackPackages(kept);
    expect(packedProvidesOf(unpacked)).toBeDefined();
    unpacked.pop();
    expect(packedProvidesOf(unpacked)).toBeUndefined();
    expect(packedProvidesOf(parsed)).toBeUndefined();
  });

  it('mark a self-provide apart from provides entries', () => {
    const lookup = packedProvidesOf(unpackPackages(kept));
    const bash = lookup?.('bash') ?? [];
    expect(bash.some((found) => found.dep === undefined)).toBe(true);
    expect(bash.some((found) => found.dep?.name === 'bash')).toBe(true);
  });
});

describe('a packed table that is not one this version wrote', () => {
  const damaged = (change: (copy: Record<string, unknown>) => void): unknown => {
    const copy = deserialize(serialize(kept)) as Record<string, unknown>;
    change(copy);
    return copy;
  };

  it('is refused when of another format or shape', () => {
    expect(isPackedPackages(damaged((t) => (t['format'] = 0)))).toBe(false);
    expect(isPackedPackages(damaged((t) => (t['deps'] = [1, 2, 3])))).toBe(false);
    expect(isPackedPackages([])).toBe(false);
    expect(isPackedPackages(null)).toBe(false);
  });

  it('fails a decode that would read a string it does not have, naming the table', () => {
    const deps = kept.deps.slice();
    deps[0] = kept.stringEnds.length;
    const value = damaged((t) => (t['deps'] = deps));
    if (!isPackedPackages(value)) throw new Error('the shape should pass');
    const [first] = unpackPackages(value);
    expect(() => first?.provides).toThrow(/packed package table names string/);
  });

  it('is refused when a number points outside its arrays', () => {
    const beyond = (field: 'files' | 'listEnds' | 'stringEnds', at: number, value: number) =>
      damaged((t) => {
        const array = (t[field] as Uint32Array).slice();
        array[at] = value;
        t[field] = array;
      });
    expect(isPackedPackages(beyond('files', 0, 0xfffffff0))).toBe(false);
    expect(isPackedPackages(beyond('listEnds', 3, 0xfffffff0))).toBe(false);
    const provides = (field: 'values' | 'slots', value: number) =>
      damaged((t) => {
        const lookup = { ...(t['provides'] as PackedPackages['provides']) };
        const array = lookup[field].slice();
        array[0] = value;
        t['provides'] = { ...lookup, [field]: array };
      });
    expect(isPackedPackages(provides('values', kept.packages.length))).toBe(false);
    expect(isPackedPackages(provides('slots', kept.provides.keys.length + 1))).toBe(false);
    expect(isPackedPackages(beyond('stringEnds', 0, kept.strings.length + 1))).toBe(false);
  });
});
