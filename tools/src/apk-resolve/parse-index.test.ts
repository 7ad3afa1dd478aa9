import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PackageFormatError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { parseApkIndexText } from './parse-index.ts';
import { readApkIndexTextFixture } from './test-support/index-fixture.ts';

const SOURCE = { repository: 'https://example.org/main', file: 'main/x86_64/APKINDEX' };

const FULL_RECORD = `C:Q1ZX+on7zBgcokTctj4tLSmx7q5O4=
P:ifupdown-ng
V:0.12.1-r0
A:x86_64
S:28839
I:196608
T:tools for managing network configuration
U:https://github.com/ifupdown-ng/ifupdown-ng
L:ISC
o:ifupdown-ng
m:Ariadne Conill <ariadne@dereferenced.org>
t:1651848213
c:8b01c6d3c55e4a6b0ac6e3b84a8d2bce04c1b4e1
k:900
D:!vlan so:libc.musl-x86_64.so.1 openrc>=0.24
p:ifupdown-any cmd:ifup=0.12.1-r0
i:openrc ifupdown-ng=0.12.1-r0
r:ifupdown
q:10
X:future field
z:lower case field
`;

function failure(text: string): PackageFormatError {
  try {
    parseApkIndexText(text, SOURCE);
  } catch (err) {
    expect(err).toBeInstanceOf(PackageFormatError);
    return err as PackageFormatError;
  }
  throw new Error('expected a PackageFormatError');
}

describe('parseApkIndexText', () => {
  it('reads every field apk-tools 2 writes and keeps unknown ones', () => {
    const [record] = parseApkIndexText(`${FULL_RECORD}\n`, SOURCE);
    expect(record).toEqual({
      repository: SOURCE.repository,
      file: SOURCE.file,
      line: 1,
      checksum: 'Q1ZX+on7zBgcokTctj4tLSmx7q5O4=',
      name: 'ifupdown-ng',
      version: '0.12.1-r0',
      arch: 'x86_64',
      size: 28839,
      installedSize: 196608,
      description: 'tools for managing network configuration',
      url: 'https://github.com/ifupdown-ng/ifupdown-ng',
      license: 'ISC',
      origin: 'ifupdown-ng',
      maintainer: 'Ariadne Conill <ariadne@dereferenced.org>',
      buildTime: 1651848213,
      commit: '8b01c6d3c55e4a6b0ac6e3b84a8d2bce04c1b4e1',
      providerPriority: 900,
      replacesPriority: 10,
      depends: [
        { name: 'vlan', conflict: true },
        { name: 'so:libc.musl-x86_64.so.1', conflict: false },
        { name: 'openrc', conflict: false, op: '>=', version: '0.24' },
      ],
      provides: [
        { name: 'ifupdown-any', conflict: false },
        { name: 'cmd:ifup', conflict: false, op: '=', version: '0.12.1-r0' },
      ],
      installIf: [
        { name: 'openrc', conflict: false },
        { name: 'ifupdown-ng', conflict: false, op: '=', version: '0.12.1-r0' },
      ],
      replaces: [{ name: 'ifupdown', conflict: false }],
      otherFields: { X: ['future field'], z: ['lower case field'] },
    });
  });

  it('separates records by blank lines and accepts a last record without one', () => {
    const text = '\n\nP:a\nV:1\n\n\n\nP:b\nV:2\nD:a';
    const records = parseApkIndexText(text, SOURCE);
    expect(records.map((r) => [r.name, r.version, r.line])).toEqual([
      ['a', '1', 3],
      ['b', '2', 8],
    ]);
    expect(records[1]?.depends).toEqual([{ name: 'a', conflict: false }]);
    expect(records[0]?.checksum).toBeUndefined();
    expect(parseApkIndexText('', SOURCE)).toEqual([]);
  });

  it.each([
    ['P:a\nV:1\n\nnonsense\n', 'line 4: expected "X:value", found "nonsense"'],
    ['P:a\nV:1\nx\n', 'line 3: expected "X:value"'],
    ['V:1\nA:x86_64\n\n', 'line 1: record has no package name (P:)'],
    ['P:a\n\n', 'line 1: record for a has no version (V:)'],
    ['P:a\nV:1\nS:12k\n', 'line 3: field S: "12k" is not a number'],
    ['P:a\nV:1\nk:\n', 'line 3: field k: "" is not a number'],
    ['P:a\nV:1\nt:99999999999999999999\n', 'line 3: field t: 99999999999999999999 is too large'],
    ['P:a\nV:1\nD:b>=\n', 'line 3: field D: dependency "b>=" has an operator but no version'],
    ['P:a\nV:1\ni:b=1_bad\n', 'line 3: field i: dependency "b=1_bad" has an invalid version'],
    ['P:a\nV:1\np:b>=1\n', 'line 3: field p: a provide is "name" or "name=version"'],
    ['P:a\nV:1\np:!b\n', 'line 3: field p: a provide is'],
  ])('refuses %j', (text, message) => {
    const err = failure(text);
    expect(err.message).toContain(`${SOURCE.file}: ${message}`);
    expect(err.file).toBe(SOURCE.file);
    expect(err.code).toBe('package-malformed');
  });

  it('reads fields in any order, keeping the last of a repeated field as apk-tools 2 does', () => {
    const text = [
      'L:MIT',
      'D:b',
      'P:early',
      'V:1',
      'L:GPL-2.0-only',
      'p:cmd:a=1',
      'k:3',
      'i:b',
      'D:c>=2',
      'x:unknown',
      'r:old',
      'P:late',
      'p:so:liba.so.1=1',
      'k:9',
      'i:c',
      'r:older',
      'x:again',
      'q:1',
      'q:2',
      '',
    ].join('\n');
    const [record] = parseApkIndexText(text, SOURCE);
    expect(record).toMatchObject({
      name: 'late',
      version: '1',
      license: 'GPL-2.0-only',
      providerPriority: 9,
      replacesPriority: 2,
      depends: [
        { name: 'b', conflict: false },
        { name: 'c', conflict: false, op: '>=', version: '2' },
      ],
      provides: [
        { name: 'cmd:a', conflict: false, op: '=', version: '1' },
        { name: 'so:liba.so.1', conflict: false, op: '=', version: '1' },
      ],
      installIf: [
        { name: 'b', conflict: false },
        { name: 'c', conflict: false },
      ],
      replaces: [
        { name: 'old', conflict: false },
        { name: 'older', conflict: false },
      ],
      otherFields: { x: ['unknown', 'again'] },
    });
  });

  it('keeps repeated unknown fields, as apko writes installed-database lines into indexes', () => {
    const path = fixture('apkindex', 'synthetic', 'apko-base-image', 'x86_64', 'APKINDEX');
    const records = parseApkIndexText(readFileSync(path, 'utf8'), {
      repository: 'apko',
      file: path,
    });
    expect(records.map((r) => `${r.name}-${r.version}`)).toEqual([
      'pretend-baselayout-1.0.0-r0',
      'package-x-1.0.0-r0',
      'package-y-1.0.0-r0',
    ]);
    expect(records[0]?.otherFields['F']).toEqual([
      'etc',
      'var',
      'var/lib',
      'var/lib/db',
      'var/lib/db/sbom',
    ]);
    expect(records[1]?.depends).toEqual([{ name: 'pretend-baselayout', conflict: false }]);
    expect(records[1]?.provides).toEqual([]);
  });

  it('reads the go-apk sample index', () => {
    const path = fixture('apkindex', 'synthetic', 'go-apk-sample', 'extracted', 'APKINDEX');
    const records = parseApkIndexText(readFileSync(path, 'utf8'), {
      repository: 'go-apk',
      file: path,
    });
    expect(records.map((r) => [r.name, r.version, r.buildTime])).toEqual([
      ['a-pkg', '1.2.3-r1', 1600096848],
      ['b-pkg', '1.1.1-r1', 1600096848],
    ]);
  });

  it('reads the whole Alpine 3.16 main index', () => {
    const text = readApkIndexTextFixture();
    const started = performance.now();
    const records = parseApkIndexText(text, { repository: 'alpine/v3.16/main', file: 'APKINDEX' });
    const elapsed = performance.now() - started;
    console.log(`parsed ${records.length} records of the 3.16 index in ${elapsed.toFixed(1)} ms`);

    expect(records).toHaveLength(4929);
    expect(records.every((r) => r.checksum?.startsWith('Q1') && r.arch === 'x86_64')).toBe(true);
    expect(records.filter((r) => r.depends.length > 0)).toHaveLength(3253);
    expect(records.filter((r) => r.provides.length > 0)).toHaveLength(2024);
    expect(records.filter((r) => r.installIf.length > 0)).toHaveLength(1538);
    expect(records.filter((r) => r.providerPriority !== undefined)).toHaveLength(72);
    expect(records.filter((r) => r.maintainer !== undefined)).toHaveLength(4789);
    expect(records.every((r) => Object.keys(r.otherFields).length === 0)).toBe(true);

    const base = records.find((r) => r.name === 'alpine-base');
    expect(base).toMatchObject({ version: '3.16.3-r0', origin: 'alpine-base', license: 'MIT' });
    expect(base?.depends.map((d) => d.name)).toEqual([
      'alpine-baselayout',
      'alpine-conf',
      'apk-tools',
      'busybox',
      'busybox-suid',
      'busybox-initscripts',
      'openrc',
      'libc-utils',
      'alpine-keys',
    ]);
    const musl = records.find((r) => r.name === 'musl');
    expect(musl?.provides).toEqual([
      { name: 'so:libc.musl-x86_64.so.1', conflict: false, op: '=', version: '1' },
    ]);
  });
});
