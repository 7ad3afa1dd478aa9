import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints every test file's wall time, slowest first, after the run, so that a suite growing
 * towards its timeout shows in the CI log before it fails there.
 */
export default class SuiteDurationsReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const rows = testModules
      .map((module) => ({
        file: relative(process.cwd(), module.moduleId),
        seconds: module.diagnostic().duration / 1000,
        tests: [...module.children.allTests()].length,
        state: module.state(),
      }))
      .sort((a, b) => b.seconds - a.seconds);
    if (rows.length === 0) return;
    const lines = rows.map(
      (row) =>
        `${row.seconds.toFixed(1).padStart(8)} s  ${String(row.tests).padStart(4)} tests  ${row.state.padEnd(7)} ${row.file}`,
    );
    process.stdout.write(`\nSuite durations, slowest first:\n${lines.join('\n')}\n`);
  }
}
