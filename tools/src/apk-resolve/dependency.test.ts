import { describe, expect, it } from 'vitest';
import {
  dependencyHolds,
  formatApkDependency,
  parseApkDependency,
  parseApkDependencyList,
} from './dependency.ts';

describe('parseApkDependency', () => {
  it.each([
    ['busybox', { name: 'busybox', conflict: false }],
    ['!vlan', { name: 'vlan', conflict: true }],
    ['openrc>=0.24.1-r6', { name: 'openrc', conflict: false, op: '>=', version: '0.24.1-r6' }],
    [
      'alpine-baselayout-data=3.2.0-r23',
      { name: 'alpine-baselayout-data', conflict: false, op: '=', version: '3.2.0-r23' },
    ],
    ['lua5.4-bit32<26', { name: 'lua5.4-bit32', conflict: false, op: '<', version: '26' }],
    ['abuild>2.20.0', { name: 'abuild', conflict: false, op: '>', version: '2.20.0' }],
    ['linux-lts<=5.15', { name: 'linux-lts', conflict: false, op: '<=', version: '5.15' }],
    ['python3~3.10', { name: 'python3', conflict: false, op: '~', version: '3.10' }],
    ['python3=~3.10', { name: 'python3', conflict: false, op: '~', version: '3.10' }],
    ['foo<~2', { name: 'foo', conflict: false, op: '<~', version: '2' }],
    ['foo>~2', { name: 'foo', conflict: false, op: '>~', version: '2' }],
    ['!foo<2', { name: 'foo', conflict: true, op: '<', version: '2' }],
    ['so:libc.musl-x86_64.so.1', { name: 'so:libc.musl-x86_64.so.1', conflict: false }],
    [
      'so:libc.musl-x86_64.so.1=1',
      { name: 'so:libc.musl-x86_64.so.1', conflict: false, op: '=', version: '1' },
    ],
    ['cmd:sh=1.35.0-r17', { name: 'cmd:sh', conflict: false, op: '=', version: '1.35.0-r17' }],
    ['pc:zlib>=1.2.3', { name: 'pc:zlib', conflict: false, op: '>=', version: '1.2.3' }],
    ['/bin/sh', { name: '/bin/sh', conflict: false }],
    ['foo><Q1abc+/=', { name: 'foo', conflict: false, op: '><', version: 'Q1abc+/=' }],
  ])('%s', (text, expected) => {
    expect(parseApkDependency(text)).toEqual(expected);
    expect(formatApkDependency(parseApkDependency(text))).toBe(text.replace('=~', '~'));
  });

  it.each([
    ['', 'has no name'],
    ['!', 'has no name'],
    ['>=1.0', 'has no name'],
    ['foo>=', 'no version'],
    ['foo=1.2_bad', 'invalid version'],
    ['foo<>=1', 'unknown version operator'],
  ])('refuses %j', (text, message) => {
    expect(() => parseApkDependency(text)).toThrow(message);
  });

  it('parses a list separated by spaces and tabs', () => {
    expect(parseApkDependencyList(' a  b>1\tc ').map((d) => d.name)).toEqual(['a', 'b', 'c']);
    expect(parseApkDependencyList('')).toEqual([]);
  });
});

describe('dependencyHolds', () => {
  const real = { version: '1.2-r0', checksum: 'Q1one=' };
  const virtual = { version: undefined, checksum: 'Q1two=' };

  it('holds for a plain name whatever provides it', () => {
    expect(dependencyHolds(parseApkDependency('foo'), real)).toBe(true);
    expect(dependencyHolds(parseApkDependency('foo'), virtual)).toBe(true);
    expect(dependencyHolds(parseApkDependency('foo'), undefined)).toBe(false);
  });

  it('never lets a virtual provide satisfy a version', () => {
    expect(dependencyHolds(parseApkDependency('foo>=1'), virtual)).toBe(false);
    expect(dependencyHolds(parseApkDependency('foo>=1'), real)).toBe(true);
  });

  it('turns conflicts around', () => {
    expect(dependencyHolds(parseApkDependency('!foo'), undefined)).toBe(true);
    expect(dependencyHolds(parseApkDependency('!foo'), real)).toBe(false);
    expect(dependencyHolds(parseApkDependency('!foo<1'), real)).toBe(true);
    expect(dependencyHolds(parseApkDependency('!foo>=1'), virtual)).toBe(true);
  });

  it('matches >< against the identity hash', () => {
    expect(dependencyHolds(parseApkDependency('foo><Q1two='), virtual)).toBe(true);
    expect(dependencyHolds(parseApkDependency('foo><Q1two='), real)).toBe(false);
  });
});
