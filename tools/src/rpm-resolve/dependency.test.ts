import { describe, expect, it } from 'vitest';
import type { RpmDependency } from '../rpm-repo/types.ts';
import { provideSatisfies, rangesOverlap } from './dependency.ts';
import { comparisonOf, formatDependency } from '../rpm-repo/dependency-text.ts';
import { parseEvr } from './vercmp.ts';

/** `name op [epoch:]version[-release]` as a dependency record, epoch only when written. */
function dep(text: string): RpmDependency {
  const [name = '', operator, evrText] = text.split(' ');
  const flags = operator === undefined ? undefined : comparisonOf(operator);
  if (flags === undefined || evrText === undefined) return { name };
  const evr = parseEvr(evrText);
  return {
    name,
    flags,
    ...(evrText.includes(':') ? { epoch: String(evr.epoch) } : {}),
    version: evr.version,
    ...(evr.release === '' ? {} : { release: evr.release }),
  };
}

/** [provide, require, satisfied] */
const MATCHES: readonly (readonly [string, string, boolean])[] = [
  ['foo', 'foo', true],
  ['foo', 'foo >= 2.0', true],
  ['foo = 1.0-1', 'foo', true],
  ['foo = 1.0-1', 'foo = 1.0-1', true],
  ['foo = 1.0-1', 'foo = 1.0-2', false],
  ['foo = 1.0-1', 'foo = 1.0', true],
  ['foo = 1.0', 'foo = 1.0-7', true],
  ['foo = 1.0-1', 'foo >= 1.0', true],
  ['foo = 1.0-1', 'foo > 1.0', false],
  ['foo = 1.0-1', 'foo <= 1.0', true],
  ['foo = 1.0-1', 'foo < 1.0', false],
  ['foo = 1.0-1', 'foo < 1.0-2', true],
  ['foo = 1.0-1', 'foo > 0.9', true],
  ['foo = 1.0-1', 'foo >= 1.1', false],
  ['foo = 2.0', 'foo < 2.0-1', true],
  ['foo = 2.0', 'foo <= 2.0-1', true],
  ['foo = 1:1.0-1', 'foo >= 2.0', true],
  ['foo = 1:1.0-1', 'foo >= 0:2.0', true],
  ['foo = 1.0-1', 'foo >= 0:2.0', false],
  ['foo = 1.0-1', 'foo >= 1:0.5', false],
  ['foo = 0:1.0-1', 'foo = 1.0-1', true],
  ['foo >= 2.0', 'foo < 3.0', true],
  ['foo >= 2.0', 'foo < 2.0', false],
  ['foo > 2.0', 'foo > 5.0', true],
  ['foo < 2.0', 'foo >= 2.0', false],
  ['foo <= 2.0', 'foo >= 2.0', true],
  ['foo = 1.0~rc1', 'foo >= 1.0', false],
  ['foo = 1.0^git1', 'foo > 1.0', true],
  ['bar = 1.0', 'foo', false],
];

describe('dependency ranges', () => {
  it.each(MATCHES)('%s satisfies %s: %s', (provide, require, expected) => {
    expect(provideSatisfies(dep(provide), dep(require))).toBe(expected);
    expect(rangesOverlap(dep(require), dep(provide))).toBe(
      expected || provide.split(' ')[0] !== require.split(' ')[0],
    );
  });

  it('prints dependencies like rpm, without a zero epoch', () => {
    expect(
      formatDependency({
        name: 'glibc',
        flags: 'EQ',
        epoch: '0',
        version: '2.34',
        release: '21.el9',
      }),
    ).toBe('glibc = 2.34-21.el9');
    expect(formatDependency({ name: 'dbus', flags: 'GE', epoch: '1', version: '1.12' })).toBe(
      'dbus >= 1:1.12',
    );
    expect(formatDependency({ name: 'libc.so.6()(64bit)' })).toBe('libc.so.6()(64bit)');
  });
});
