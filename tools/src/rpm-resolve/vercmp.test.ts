import { describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { hostTool, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { compareEvr, formatEvr, parseEvr, rpmvercmp } from './vercmp.ts';

/** [a, b, rpmvercmp(a, b)]: rpm's well-known cases. */
const VERSIONS: readonly (readonly [string, string, -1 | 0 | 1])[] = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1],
  ['xyz10', 'xyz10.1', -1],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['5.5p1', '5.6p1', -1],
  ['6.0.rc1', '6.0', 1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0a', 1],
  ['10.0001', '10.1', 0],
  ['10.0001', '10.0039', -1],
  ['4.999.9', '5.0', -1],
  ['20101121', '20101122', -1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['a+', 'a_', 0],
  ['+a', '_a', 0],
  ['+_', '_+', 0],
  ['+', '_', 0],
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0arc1', -1],
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0', 1],
  ['1.0^git1', '1.01', -1],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0^20160102', '1.0^20160101', 1],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0~rc1', '1.0^', -1],
  ['', '', 0],
  ['', '0', -1],
  ['1', '', 1],
];

describe('rpmvercmp', () => {
  it.each(VERSIONS)('%j vs %j is %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(expected === 0 ? 0 : -expected);
  });
});

describe('parseEvr and compareEvr', () => {
  it('splits epoch, version and release like rpm', () => {
    expect(parseEvr('1:2.3-4.el9')).toEqual({ epoch: 1, version: '2.3', release: '4.el9' });
    expect(parseEvr('2.3')).toEqual({ epoch: 0, version: '2.3', release: '' });
    expect(parseEvr('1.2-3-4')).toEqual({ epoch: 0, version: '1.2-3', release: '4' });
    expect(parseEvr(':1.0')).toEqual({ epoch: 0, version: '1.0', release: '' });
    expect(parseEvr('a:1')).toEqual({ epoch: 0, version: 'a:1', release: '' });
    expect(formatEvr(parseEvr('0:1.0-1'))).toBe('1.0-1');
    expect(formatEvr(parseEvr('3:1.0'))).toBe('3:1.0');
  });

  it('compares epochs first, a missing one being 0', () => {
    const evr = (text: string) => parseEvr(text);
    expect(compareEvr(evr('1:1.0-1'), evr('2.0-1'))).toBe(1);
    expect(compareEvr(evr('0:1.0-1'), evr('1.0-1'))).toBe(0);
    expect(compareEvr(evr('1.0-1'), evr('1.0-2'))).toBe(-1);
    expect(compareEvr(evr('1.0'), evr('1.0-1'))).toBe(-1);
    expect(compareEvr(evr('2.34-21.el9'), evr('2.34-3.el9'))).toBe(1);
  });
});

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '0',
  '1',
  '2',
  '9',
  '10',
  '01',
  '007',
  'a',
  'b',
  'rc',
  'Z',
  '.',
  '.',
  '~',
  '^',
  '_',
  '+',
];

function randomPairs(count: number): [string, string][] {
  const next = random(20240611);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const word = () =>
    Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(PIECES)).join('');
  const evr = () => {
    const epoch = next() < 0.2 ? `${pick(['0', '1', '2'])}:` : '';
    const release = next() < 0.5 ? `-${word()}` : '';
    return `${epoch}${word()}${release}`;
  };
  const pairs: [string, string][] = [];
  while (pairs.length < count) {
    const a = evr();
    // Half the pairs are small edits of each other, where the interesting cases are.
    const b = next() < 0.5 ? evr() : a.replace(/.$/, pick(PIECES));
    if (/(^|[-:])$|-[^-]*:|:.*:/.test(a + ' ' + b) || a.endsWith('-') || b.endsWith('-')) continue;
    pairs.push([a, b]);
  }
  return pairs;
}

const RPM = reference('rpm 4.18', [hostTool('rpm')]);

describeWithReference(RPM, 'against rpm 4.18 (rpm.vercmp in its Lua)', () => {
  it('orders 400 random EVR pairs the same way', async () => {
    const pairs = randomPairs(400);
    const table = pairs.map(([a, b]) => `{[==[${a}]==],[==[${b}]==]}`).join(',');
    const script = `%{lua: for _, p in ipairs({${table}}) do print(rpm.vercmp(p[1], p[2]) .. "\\n") end}`;
    const { stdout } = await createRunner().run(['rpm', '--eval', script]);
    const expected = stdout.trim().split('\n').map(Number);
    expect(expected).toHaveLength(pairs.length);
    const ours = pairs.map(([a, b]) => compareEvr(parseEvr(a), parseEvr(b)));
    const differences = pairs.filter((_, index) => ours[index] !== expected[index]);
    expect(differences).toEqual([]);
  });
});
