import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { buildEpoch, sourceDateEpochFromEnv } from './context.ts';

describe('the build epoch', () => {
  it('is SOURCE_DATE_EPOCH when set, otherwise the newest package build time', () => {
    expect(sourceDateEpochFromEnv({ SOURCE_DATE_EPOCH: '1725580800' })).toBe(1725580800);
    expect(sourceDateEpochFromEnv({ SOURCE_DATE_EPOCH: '' })).toBeUndefined();
    expect(sourceDateEpochFromEnv({})).toBeUndefined();
    expect(buildEpoch({ sourceDateEpoch: undefined }, [10, 30, Number.NaN, 20])).toBe(30);
    expect(buildEpoch({ sourceDateEpoch: 5 }, [10, 30])).toBe(5);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not a whole number of seconds, as a user error', () => {
    for (const value of ['yesterday', '-1', '1.5', '1e9']) {
      expect(() => sourceDateEpochFromEnv({ SOURCE_DATE_EPOCH: value })).toThrow(UserError);
    }
  });
});
