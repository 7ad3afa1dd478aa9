import type { BenchSection } from './bench-result.ts';
import { createProcessBench } from './process-bench.ts';
import type { ProcessBench } from './process-bench.ts';

/** The parts of a builder's benchmark, in the order they run. */
export const BENCH_PARTS = ['commands', 'extract', 'iso'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

const isPart = (value: string): value is BenchPart =>
  (BENCH_PARTS as readonly string[]).includes(value);

/** The parts named by `--only a,b` or `--only=a` (repeatable); all of them without it. */
export function partsFrom(argv: readonly string[]): BenchPart[] {
  const named: string[] = [];
  argv.forEach((arg, index) => {
    if (arg === '--only') named.push(...(argv[index + 1] ?? '').split(','));
    else if (arg.startsWith('--only=')) named.push(...arg.slice('--only='.length).split(','));
  });
  const unknown = named.filter((name) => !isPart(name));
  if (unknown.length > 0) {
    throw new Error(`--only takes ${BENCH_PARTS.join(', ')}; not ${unknown.join(', ')}`);
  }
  return named.length === 0 ? [...BENCH_PARTS] : BENCH_PARTS.filter((part) => named.includes(part));
}

/**
 * Runs the chosen parts one after the other, printing each table as it is done, then the
 * targets missed; any missed target makes the exit status 1.
 */
export async function runBenchParts(
  argv: readonly string[],
  parts: Readonly<Record<BenchPart, (bench: ProcessBench) => Promise<BenchSection>>>,
): Promise<void> {
  const chosen = partsFrom(argv);
  const bench = await createProcessBench();
  const missed: string[] = [];
  try {
    for (const part of chosen) {
      const section = await parts[part](bench);
      process.stdout.write(`${section.text}\n`);
      missed.push(...section.missed);
    }
  } finally {
    await bench.close();
  }
  process.stdout.write(
    missed.length === 0
      ? `every target met (${chosen.join(', ')})\n`
      : `NOT MET (${missed.length}): ${missed.join('; ')}\n`,
  );
  if (missed.length > 0) process.exitCode = 1;
}
