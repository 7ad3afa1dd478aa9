import { describe, expect, it } from 'vitest';
import { formatProcessBench, isMet } from './bench-result.ts';
import type { CommandStats, ProcessBenchResult } from './bench-result.ts';

const stats = (label: string, ms: number, startupMs?: number): CommandStats => ({
  label,
  ms,
  peakMiB: 40,
  runs: 5,
  ...(startupMs === undefined ? {} : { startupMs }),
});

describe('isMet', () => {
  it('holds a ratio target to ours divided by the reference, the bound included', () => {
    const result = (ms: number): ProcessBenchResult => ({
      name: 'x',
      ours: stats('ours', ms),
      reference: stats('node -e 0', 50),
      target: { maxRatio: 3 },
    });
    expect(isMet(result(150))).toBe(true);
    expect(isMet(result(151))).toBe(false);
  });

  it('holds a time target to ours alone, and has no verdict without a target', () => {
    expect(isMet({ name: 'x', ours: stats('nx', 1999), target: { maxMs: 2000 } })).toBe(true);
    expect(isMet({ name: 'x', ours: stats('nx', 2000), target: { maxMs: 2000 } })).toBe(false);
    expect(isMet({ name: 'x', ours: stats('nx', 2000) })).toBeUndefined();
  });
});

describe('formatProcessBench', () => {
  it('prints both sides with start-up and peak RSS, the ratio, and NOT MET', () => {
    const section = formatProcessBench(
      'Commands',
      [
        {
          name: 'acorn spec',
          ours: stats('acorn spec', 200, 150),
          reference: stats('node -e 0', 50, 40),
          target: { maxRatio: 3 },
        },
        { name: 'cold build', ours: stats('acorn iso', 60_000) },
      ],
      ['a note'],
    );
    expect(section.missed).toEqual(['acorn spec']);
    expect(section.text.split('\n')).toEqual([
      '# Commands',
      'benchmark   ours      start-up  peak RSS  reference  time   start-up  peak RSS  ratio  target',
      'acorn spec  200 ms    150 ms    40 MiB    node -e 0  50 ms  40 ms     40 MiB    4.00x  ratio <= 3: NOT MET',
      'cold build  60000 ms  -         40 MiB    -          -      -         -         -',
      'a note',
      '',
    ]);
  });
});
