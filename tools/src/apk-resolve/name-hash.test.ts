import { describe, expect, it } from 'vitest';
import { inHashOrder, murmur3 } from './name-hash.ts';

describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['hello', 0, 0x248bfa47],
    ['Hello, world!', 1234, 0xfaf6cdb3],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('%j with seed %d', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });
});

describe('inHashOrder', () => {
  it('orders by bucket, the most recently created first within one', () => {
    const names = ['musl', 'busybox', 'openrc', 'musl'];
    const ordered = inHashOrder(
      names.map((name, n) => ({ name, n })),
      (item) => item.name,
    );
    expect(ordered.filter((i) => i.name === 'musl').map((i) => i.n)).toEqual([3, 0]);
  });
});
