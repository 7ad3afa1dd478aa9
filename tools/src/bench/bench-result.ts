import { alignedTable } from './harness.ts';

/** What a result must meet: ours/reference at most a ratio, or ours under a time. */
export type BenchTarget = { readonly maxRatio: number } | { readonly maxMs: number };

/** One command's runs: median wall time, largest peak RSS, and its program's start-up. */
export interface CommandStats {
  readonly label: string;
  readonly ms: number;
  readonly peakMiB: number;
  readonly runs: number;
  readonly startupMs?: number;
}

export interface ProcessBenchResult {
  readonly name: string;
  readonly ours: CommandStats;
  readonly reference?: CommandStats;
  readonly target?: BenchTarget;
}

/** One part of a benchmark run (commands, extraction, ISO), as printed. */
export interface BenchSection {
  readonly text: string;
  /** Names of the results that missed their target. */
  readonly missed: readonly string[];
}

export function ratioOf(result: ProcessBenchResult): number | undefined {
  return result.reference === undefined ? undefined : result.ours.ms / result.reference.ms;
}

export function isMet(result: ProcessBenchResult): boolean | undefined {
  const { target } = result;
  if (target === undefined) return undefined;
  if ('maxMs' in target) return result.ours.ms < target.maxMs;
  const ratio = ratioOf(result);
  return ratio !== undefined && ratio <= target.maxRatio;
}

function describeTarget(target: BenchTarget): string {
  return 'maxMs' in target ? `< ${target.maxMs} ms` : `ratio <= ${target.maxRatio}`;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;
const startup = (stats: CommandStats) =>
  stats.startupMs === undefined ? '-' : ms(stats.startupMs);

/**
 * A table of whole-process results: for ours and the reference, the median time, the program's
 * start-up and the peak RSS; the ratio is ours divided by the reference (below 1: we are faster).
 */
export function formatProcessBench(
  title: string,
  results: readonly ProcessBenchResult[],
  notes: readonly string[] = [],
): BenchSection {
  const rows = results.map((result) => {
    const { ours, reference, target } = result;
    const met = isMet(result);
    const ratio = ratioOf(result);
    const verdict =
      target === undefined ? '' : `${describeTarget(target)}: ${met ? 'met' : 'NOT MET'}`;
    return [
      result.name,
      ms(ours.ms),
      startup(ours),
      mib(ours.peakMiB),
      reference?.label ?? '-',
      reference === undefined ? '-' : ms(reference.ms),
      reference === undefined ? '-' : startup(reference),
      reference === undefined ? '-' : mib(reference.peakMiB),
      ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
      verdict,
    ];
  });
  const header = [
    'benchmark',
    'ours',
    'start-up',
    'peak RSS',
    'reference',
    'time',
    'start-up',
    'peak RSS',
    'ratio',
    'target',
  ];
  const text = [`# ${title}`, ...alignedTable(header, rows), ...notes, ''].join('\n');
  return { text, missed: results.filter((result) => isMet(result) === false).map((r) => r.name) };
}
