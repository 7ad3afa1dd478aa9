import type { Reporter, TestModule } from 'vitest/node';
import type { FuzzMeta } from './fuzz.ts';

/**
 * Prints, after the run, how many cases each parser's fuzz test ran and how they ended, so that
 * `nx run tools:fuzz` says what was covered (used with `--reporter`, beside the default one).
 */
export default class FuzzReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const rows: (FuzzMeta & { state: string })[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta().fuzz;
        if (meta !== undefined) rows.push({ ...meta, state: test.result().state });
      }
    }
    if (rows.length === 0) return;
    rows.sort((a, b) => a.parser.localeCompare(b.parser));
    const width = Math.max(...rows.map((row) => row.parser.length));
    const lines = rows.map((row) => {
      const retained =
        row.retainedMiB === undefined ? '   ?' : row.retainedMiB.toFixed(0).padStart(4);
      return [
        row.parser.padEnd(width),
        `${String(row.accepted + row.refused).padStart(8)} cases`,
        `(${row.accepted} accepted, ${row.refused} refused)`.padEnd(32),
        `${row.seconds.toFixed(1).padStart(7)} s`,
        `slowest ${row.slowestMs.toFixed(0).padStart(5)} ms`,
        `case peak ${row.peakCaseMiB.toFixed(0).padStart(4)} MiB`,
        `retained ${retained} MiB`,
        row.state,
      ].join('  ');
    });
    const total = rows.reduce((sum, row) => sum + row.accepted + row.refused, 0);
    const [first] = rows;
    process.stdout.write(
      `\nFuzz cases per parser (seed ${first?.seed ?? '?'}):\n${lines.join('\n')}\n` +
        `${rows.length} parsers, ${total} cases\n`,
    );
  }
}
