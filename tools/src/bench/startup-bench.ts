import type { ProcessBenchResult } from './bench-result.ts';
import { BARE_NODE, ourCommand } from './our-commands.ts';
import type { BenchBin } from './our-commands.ts';
import type { ProcessBench } from './process-bench.ts';

/** Commands that do next to nothing, so that what they cost is start-up. */
const QUICK_COMMANDS: readonly (readonly string[])[] = [['--help'], ['spec']];

/** `<bin> --help` and `<bin> spec`, each at most 3× a bare `node -e 0`. */
export async function startupResults(
  bench: ProcessBench,
  bin: BenchBin,
): Promise<ProcessBenchResult[]> {
  const results: ProcessBenchResult[] = [];
  for (const args of QUICK_COMMANDS) {
    const ours = ourCommand(bin, args);
    results.push(
      await bench.compare({
        name: ours.label,
        ours,
        reference: BARE_NODE,
        target: { maxRatio: 3 },
        runs: 7,
      }),
    );
  }
  return results;
}
