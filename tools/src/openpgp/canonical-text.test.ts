import { describe, expect, it } from 'vitest';
import { canonicalText } from './canonical-text.ts';

function canonical(...chunks: string[]): string {
  return Buffer.concat([...canonicalText(chunks.map((chunk) => Buffer.from(chunk)))]).toString();
}

describe('canonicalText', () => {
  it.each([
    ['a\nb\n', 'a\r\nb\r\n'],
    ['a\r\nb\r\n', 'a\r\nb\r\n'],
    ['a\r\r\nb', 'a\r\nb'],
    ['lone\rreturn', 'lone\rreturn'],
    ['trailing blanks \t\n', 'trailing blanks \t\r\n'],
    ['ends in returns\r\r', 'ends in returns'],
    ['\n\n', '\r\n\r\n'],
    ['', ''],
  ])('rewrites %j as %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('gives the same result however the data is split into chunks', () => {
    const input = 'one\r\ntwo\nthree\r\r\nfour\rfive\n\r\r';
    const whole = canonical(input);
    for (let split = 0; split <= input.length; split++) {
      for (let second = split; second <= input.length; second++) {
        expect(
          canonical(input.slice(0, split), input.slice(split, second), input.slice(second)),
        ).toBe(whole);
      }
    }
  });
});
