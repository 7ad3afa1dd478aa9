import { describe, expect, it } from 'vitest';
import type { ApkVersionOp } from './dependency.ts';
import { versionSatisfies } from './dependency.ts';
import { VERSION_ORDER, VERSION_VALIDITY } from './test-support/version-cases.ts';
import { compareApkVersions, isValidApkVersion } from './version.ts';

const RESULT = { '<': -1, '=': 0, '>': 1 } as const;

describe('compareApkVersions', () => {
  it.each(VERSION_ORDER)('%s %s %s', (a, op, b) => {
    expect(compareApkVersions(a, b)).toBe(RESULT[op]);
    expect(compareApkVersions(b, a)).toBe(-RESULT[op] || 0);
  });

  it('sorts a list the way apk does', () => {
    const sorted = ['1.0-r1', '1.0_rc1', '1.0', '1.0_p1', '0.9', '1.0a', '1.0.1', '1.0_alpha'].sort(
      compareApkVersions,
    );
    expect(sorted).toEqual([
      '0.9',
      '1.0_alpha',
      '1.0_rc1',
      '1.0',
      '1.0-r1',
      '1.0_p1',
      '1.0a',
      '1.0.1',
    ]);
  });
});

describe('isValidApkVersion', () => {
  it.each(VERSION_VALIDITY)('%s: %s', (version, valid) => {
    expect(isValidApkVersion(version)).toBe(valid);
  });
});

describe('versionSatisfies', () => {
  const cases: [string, ApkVersionOp, string, boolean][] = [
    ['1.2-r0', '=', '1.2-r0', true],
    ['1.2-r1', '=', '1.2-r0', false],
    ['1.2', '=', '1.2-r0', false],
    ['1.2-r0', '<', '1.3', true],
    ['1.3', '<', '1.3', false],
    ['1.3', '<=', '1.3', true],
    ['1.4', '<=', '1.3', false],
    ['1.4', '>', '1.3', true],
    ['1.3', '>', '1.3', false],
    ['1.3', '>=', '1.3', true],
    ['1.3_rc1', '>=', '1.3', false],
    ['1.2.3-r4', '~', '1.2', true],
    ['1.2', '~', '1.2', true],
    ['1.2-r4', '~', '1.2', true],
    ['1.20', '~', '1.2', false],
    ['1.3.0', '~', '1.2', false],
    ['1.2.3-r1', '~', '1.2.3-r0', false],
    ['1.2.3-r1', '~', '1.2.3_rc1', true],
    ['1.2', '~', '1.2.3', true],
    ['1.2.3', '<~', '1.2', true],
    ['1.1', '<~', '1.2', true],
    ['1.3', '<~', '1.2', false],
    ['1.2.3', '>~', '1.2', true],
    ['1.3', '>~', '1.2', true],
    ['1.1', '>~', '1.2', false],
    ['Q1abc=', '><', 'Q1abc=', true],
    ['Q1abc=', '><', 'Q1abd=', false],
  ];

  it.each(cases)('%s %s %s: %s', (version, op, wanted, expected) => {
    expect(versionSatisfies(version, op, wanted)).toBe(expected);
  });
});
