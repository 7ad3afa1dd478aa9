import { defineConfig } from 'vitest/config';
import RunSummaryReporter from './tools/src/test-support/run-summary-reporter.ts';
import SuiteDurationsReporter from './vitest.suite-durations.ts';

/** End-to-end suites: builds and QEMU boots, one at a time (the machine has 2 cores). */
export default defineConfig({
  test: {
    include: ['**/src/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    reporters: ['default', new SuiteDurationsReporter(), new RunSummaryReporter({ kind: 'e2e' })],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
