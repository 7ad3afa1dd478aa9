import { defineConfig } from 'vitest/config';
import RunSummaryReporter from './tools/src/test-support/run-summary-reporter.ts';
import SuiteDurationsReporter from './vitest.suite-durations.ts';

export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts'],
    // Sized for reference comparisons (apk, dnf, rpm, depmod run for real) on a 2-core machine
    // that is also running the other project's suite.
    testTimeout: 120_000,
    reporters: ['default', new SuiteDurationsReporter(), new RunSummaryReporter()],
    pool: 'forks',
    maxWorkers: 2,
  },
});
