/** The header and rows as lines of left-aligned columns two spaces apart. */
export function alignedTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
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
