import { describe, expect, it } from 'vitest';
import { partsFrom } from './bench-parts.ts';

describe('partsFrom', () => {
  it('runs every part without --only', () => {
    expect(partsFrom([])).toEqual(['commands', 'extract', 'iso']);
  });

  it.each([
    [['--only', 'iso'], ['iso']],
    [['--only=extract'], ['extract']],
    [
      ['--only', 'iso,commands'],
      ['commands', 'iso'],
    ],
    [
      ['--only=iso', '--only', 'extract'],
      ['extract', 'iso'],
    ],
  ])('reads %j as %j, in the order the parts run', (argv, parts) => {
    expect(partsFrom(argv)).toEqual(parts);
  });

  it('names the parts when given another', () => {
    expect(() => partsFrom(['--only', 'resolve'])).toThrow(
      '--only takes commands, extract, iso; not resolve',
    );
  });
});
