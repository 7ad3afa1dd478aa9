import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Runner } from '../core/run.ts';

/** GNU time (Debian package `time`): the peak RSS of the process it starts, once it has ended. */
const GNU_TIME = '/usr/bin/time';

/** One command as a user types it, measured as a whole process. */
export interface BenchCommand {
  /** How the table names it: `leviso spec`, `dnf install --assumeno (warm)`. */
  readonly label: string;
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Exit codes other than 0 that mean the command did its work (`dnf --assumeno` exits 1). */
  readonly allowExitCodes?: readonly number[];
  /** Done before every run, outside the measured time: an empty cache for a cold run. */
  readonly prepare?: () => Promise<unknown>;
  /** The program's cheapest run (`--version`), whose time is shown as its start-up. */
  readonly startup?: readonly string[];
  readonly timeoutMs?: number;
}

export interface ProcessSample {
  /** Wall time from start to exit, as the calling process sees it. */
  readonly ms: number;
  /** Peak resident set of the process (and of the children it waited for), in KiB. */
  readonly peakKiB: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs the command once under GNU time, which reports the peak RSS to a file of its own so that
 * the command's stderr stays apart; with an exit status other than 0 it writes a line before it.
 */
export async function sampleProcess(
  runner: Runner,
  command: BenchCommand,
  scratch: string,
): Promise<ProcessSample> {
  await command.prepare?.();
  const report = join(scratch, 'time.out');
  await rm(report, { force: true });
  const start = performance.now();
  await runner.run([GNU_TIME, '-f', '%M', '-o', report, ...command.argv], {
    stdout: 'ignore',
    timeoutMs: command.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
    ...(command.allowExitCodes === undefined ? {} : { allowExitCodes: command.allowExitCodes }),
  });
  const ms = performance.now() - start;
  const lines = (await readFile(report, 'utf8')).trim().split('\n');
  const peakKiB = Number(lines.at(-1));
  if (!Number.isFinite(peakKiB)) {
    throw new Error(`${GNU_TIME} reported no peak RSS for ${command.label}: ${lines.join(' ')}`);
  }
  return { ms, peakKiB };
}

/** The middle value (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
