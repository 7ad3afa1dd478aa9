import { expect, it } from 'vitest';
import { reference } from '../reference.ts';
import { describeWithReference, itWithReference } from '../reference-suite.ts';

/** Suites gated on a reference this host has and on one no host has, for run-summary.test.ts. */

const PRESENT = reference('a reference every host has', []);
const ABSENT = reference('a reference no host has', [
  { met: false, hint: 'install the missing thing' },
]);

describeWithReference(PRESENT, 'a suite with its reference', () => {
  it('compares', () => {
    expect(1 + 1).toBe(2);
  });
});

describeWithReference(ABSENT, 'a suite without its reference', () => {
  it('would compare', () => {
    throw new Error('ran without its reference');
  });
  it('would compare again', () => {
    throw new Error('ran without its reference');
  });
});

itWithReference(ABSENT, 'a test without its reference', () => {
  throw new Error('ran without its reference');
});

it.skip('a test skipped for another reason', () => {
  throw new Error('ran although skipped');
});
