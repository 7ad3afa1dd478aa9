import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { parseCacheSize, stageCacheSettingsFrom } from './stage-cache-option.ts';

describe('--stage-cache', () => {
  it.each([
    ['0', 0],
    ['4096', 4096],
    ['500M', 500 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['64k', 64 * 1024],
  ])('reads %s as %i bytes', (text, bytes) => {
    expect(parseCacheSize(text)).toBe(bytes);
  });

  it('refuses what is not a size, as a UserError with a hint', () => {
    expect(() => parseCacheSize('lots')).toThrow(UserError);
    expect(() => parseCacheSize('-1G')).toThrow(/is not a size/);
  });

  it('puts the cache in <cache>/stages, 2 GiB by default, and 0 turns it off', () => {
    expect(stageCacheSettingsFrom('/c', undefined)).toEqual({
      dir: '/c/stages',
      maxBytes: 2 * 1024 ** 3,
    });
    expect(stageCacheSettingsFrom('/c', '0')).toBeUndefined();
  });
});
