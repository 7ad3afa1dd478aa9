import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../core/run.ts';
import type { Runner } from '../core/run.ts';
import type { BenchTarget, CommandStats, ProcessBenchResult } from './bench-result.ts';
import { median, sampleProcess } from './process-sample.ts';
import type { BenchCommand, ProcessSample } from './process-sample.ts';

/** One comparison: our command against the reference command doing the same work. */
export interface ProcessBenchCase {
  readonly name: string;
  readonly ours: BenchCommand;
  readonly reference: BenchCommand;
  readonly target?: BenchTarget;
  /** Measured runs of each command (default 5), ours and the reference taking turns. */
  readonly runs?: number;
  /** Unmeasured runs of each first (default 1): a warm cache is warmed by them. */
  readonly warmups?: number;
}

export interface ProcessBench {
  readonly runner: Runner;
  compare(bench: ProcessBenchCase): Promise<ProcessBenchResult>;
  /** Our command alone (a cold build, a no-op rebuild), with a target of its own. */
  measure(
    name: string,
    command: BenchCommand,
    options?: { runs?: number; warmups?: number; target?: BenchTarget },
  ): Promise<ProcessBenchResult>;
  close(): Promise<void>;
}

const STARTUP_RUNS = 5;

/**
 * Whole-process benchmarks: every command is a process of its own under GNU time, ours and the
 * reference interleaved (ours first on even runs, the reference first on odd ones) so that a
 * machine that gets busier or quieter weighs on both alike; times are medians, peak RSS the
 * largest of the runs. Each program's start-up is the median time of its `startup` command,
 * measured once per program.
 */
export async function createProcessBench(): Promise<ProcessBench> {
  const runner = createRunner();
  const scratch = await mkdtemp(join(tmpdir(), 'process-bench-'));
  const startups = new Map<string, Promise<number>>();
  const sample = (command: BenchCommand) => sampleProcess(runner, command, scratch);

  const startupOf = (command: BenchCommand): Promise<number | undefined> => {
    const argv = command.startup;
    if (argv === undefined) return Promise.resolve(undefined);
    const key = argv.join('\0');
    let measured = startups.get(key);
    if (measured === undefined) {
      measured = (async () => {
        const probe = { label: `${command.label} start-up`, argv };
        await sample(probe);
        const times: number[] = [];
        for (let run = 0; run < STARTUP_RUNS; run++) times.push((await sample(probe)).ms);
        return median(times);
      })();
      startups.set(key, measured);
    }
    return measured;
  };

  const stats = async (
    command: BenchCommand,
    samples: readonly ProcessSample[],
  ): Promise<CommandStats> => {
    const startupMs = await startupOf(command);
    return {
      label: command.label,
      ms: median(samples.map((one) => one.ms)),
      peakMiB: Math.max(...samples.map((one) => one.peakKiB)) / 1024,
      runs: samples.length,
      ...(startupMs === undefined ? {} : { startupMs }),
    };
  };

  return {
    runner,
    async compare(bench) {
      const runs = bench.runs ?? 5;
      for (let run = 0; run < (bench.warmups ?? 1); run++) {
        await sample(bench.ours);
        await sample(bench.reference);
      }
      const ours: ProcessSample[] = [];
      const reference: ProcessSample[] = [];
      for (let run = 0; run < runs; run++) {
        if (run % 2 === 0) {
          ours.push(await sample(bench.ours));
          reference.push(await sample(bench.reference));
        } else {
          reference.push(await sample(bench.reference));
          ours.push(await sample(bench.ours));
        }
      }
      return {
        name: bench.name,
        ours: await stats(bench.ours, ours),
        reference: await stats(bench.reference, reference),
        ...(bench.target === undefined ? {} : { target: bench.target }),
      };
    },
    async measure(name, command, options = {}) {
      for (let run = 0; run < (options.warmups ?? 0); run++) await sample(command);
      const samples: ProcessSample[] = [];
      for (let run = 0; run < (options.runs ?? 1); run++) samples.push(await sample(command));
      return {
        name,
        ours: await stats(command, samples),
        ...(options.target === undefined ? {} : { target: options.target }),
      };
    },
    close: () => rm(scratch, { recursive: true, force: true }),
  };
}
