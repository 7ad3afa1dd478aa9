import { defineConfig } from 'vitest/config';
import RunSummaryReporter from '../run-summary-reporter.ts';

/** Runs gated.check.ts alone, as run-summary.test.ts asks, with the run summary. */
export default defineConfig({
  test: {
    include: ['*.check.ts'],
    reporters: ['default', new RunSummaryReporter()],
    pool: 'forks',
    maxWorkers: 1,
  },
});
