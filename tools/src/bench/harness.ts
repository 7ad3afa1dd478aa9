import { performance } from 'node:perf_hooks';

/** One benchmark: our implementation, optionally against a reference run in the same process. */
export interface BenchCase {
  readonly name: string;
  readonly ours: () => unknown;
  readonly baseline?: { readonly name: string; readonly run: () => unknown };
  /** What the result must meet: `ours` under a time, or ours/baseline under a ratio. */
  readonly target?: { readonly maxMs: number } | { readonly maxRatio: number };
  readonly runs?: number;
}

export interface BenchResult {
  readonly name: string;
  readonly oursMs: number;
  readonly baseline?: { readonly name: string; readonly ms: number; readonly ratio: number };
  readonly target?: string;
  readonly met?: boolean;
}

/** Median wall time of `runs` runs after one warm-up run. */
export async function medianMs(fn: () => unknown, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function runBench(bench: BenchCase): Promise<BenchResult> {
  const runs = bench.runs ?? 5;
  const oursMs = await medianMs(bench.ours, runs);
  const baseline = bench.baseline
    ? await medianMs(bench.baseline.run, runs).then((ms) => ({
        name: bench.baseline?.name ?? '',
        ms,
        ratio: oursMs / ms,
      }))
    : undefined;
  if (!bench.target) return { name: bench.name, oursMs, ...(baseline ? { baseline } : {}) };
  if ('maxMs' in bench.target) {
    return {
      name: bench.name,
      oursMs,
      ...(baseline ? { baseline } : {}),
      target: `< ${bench.target.maxMs} ms`,
      met: oursMs < bench.target.maxMs,
    };
  }
  const ratio = baseline?.ratio ?? Number.NaN;
  return {
    name: bench.name,
    oursMs,
    ...(baseline ? { baseline } : {}),
    target: `ratio <= ${bench.target.maxRatio}`,
    met: ratio <= bench.target.maxRatio,
  };
}

/** The header and rows as lines of left-aligned columns two spaces apart. */
function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A table of results; ratios are ours divided by the baseline (below 1 means we are faster). */
export function formatBench(title: string, results: readonly BenchResult[]): string {
  const rows = results.map((result) => [
    result.name,
    `${result.oursMs.toFixed(1)} ms`,
    result.baseline ? `${result.baseline.ms.toFixed(1)} ms (${result.baseline.name})` : '-',
    result.baseline ? `${result.baseline.ratio.toFixed(3)}x` : '-',
    result.target === undefined ? '' : `${result.target}: ${result.met ? 'met' : 'NOT MET'}`,
  ]);
  const header = ['benchmark', 'ours', 'baseline', 'ratio', 'target'];
  const peak = process.resourceUsage().maxRSS / 1024;
  return [`# ${title}`, ...alignedTable(header, rows), `peak RSS ${peak.toFixed(0)} MiB`, ''].join(
    '\n',
  );
}

/** One peak-memory measurement, against a reference tool's peak on the same input. */
export interface MemoryResult {
  readonly name: string;
  readonly peakMiB: number;
  readonly ms: number;
  readonly baseline?: { readonly name: string; readonly peakMiB: number };
  readonly maxMiB?: number;
  /** Why the run did not complete, when it did not. */
  readonly error?: string;
}

/** A table of peak RSS; ratios are ours divided by the reference (below 1: we use less). */
export function formatMemoryBench(title: string, results: readonly MemoryResult[]): string {
  const rows = results.map((result) => [
    result.name,
    `${result.peakMiB.toFixed(0)} MiB`,
    `${(result.ms / 1000).toFixed(1)} s`,
    result.baseline ? `${result.baseline.peakMiB.toFixed(0)} MiB (${result.baseline.name})` : '-',
    result.baseline ? `${(result.peakMiB / result.baseline.peakMiB).toFixed(2)}x` : '-',
    result.maxMiB === undefined
      ? ''
      : `< ${result.maxMiB} MiB: ${result.error === undefined && result.peakMiB < result.maxMiB ? 'met' : 'NOT MET'}`,
  ]);
  const header = ['benchmark', 'peak RSS', 'time', 'reference', 'ratio', 'target'];
  const errors = results.flatMap((result) =>
    result.error === undefined ? [] : [`${result.name}: ${result.error}`],
  );
  return [`# ${title}`, ...alignedTable(header, rows), ...errors, ''].join('\n');
}
