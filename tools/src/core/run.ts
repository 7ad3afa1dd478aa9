/**
 * The single way the tools start external commands.
 *
 * Commands are argument vectors, never shell strings. They run in a small, fixed environment so
 * that builds do not depend on whatever the calling shell happened to export, with a UTF-8 C
 * locale, UTC, and `SOURCE_DATE_EPOCH` for reproducible output. Every failure becomes a
 * {@link ToolError} carrying the command line and the end of its stderr.
 */

import { InternalError, ToolError, shellQuote } from './errors.ts';
import { describeSpawnFailure, tailLines } from './run-failure.ts';

export interface RunOptions {
  cwd?: string;
  /** Added to (and overriding) the runner's environment for this call only. */
  env?: Readonly<Record<string, string>>;
  /** Fed to the command's stdin. Without it, stdin is closed. */
  input?: string | Uint8Array;
  /** Kill the command (SIGTERM, then SIGKILL) when it runs longer than this. */
  timeoutMs?: number;
  /** What to do with the command's stdout; `capture` (the default) returns it in the result. */
  stdout?: 'capture' | 'inherit' | 'ignore';
  /** Exit codes other than 0 that count as success. */
  allowExitCodes?: readonly number[];
}

export interface RunResult {
  argv: readonly string[];
  exitCode: number;
  /** Captured stdout decoded as UTF-8, exactly as written (no trailing newline removed). */
  stdout: string;
  stderr: string;
}

export interface BinaryRunResult {
  argv: readonly string[];
  exitCode: number;
  /** Captured stdout as raw bytes. */
  stdout: Uint8Array;
  stderr: string;
}

export interface Runner {
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** A runner that can also return stdout as bytes, for commands with binary output. */
export interface BinaryRunner extends Runner {
  runBinary(argv: readonly string[], options?: RunOptions): Promise<BinaryRunResult>;
}

export interface RunnerOptions {
  /** Echo each command line (`+ cmd args`) before running it. */
  debug?: boolean;
  /** Where echoed command lines go; defaults to stderr. */
  echo?: (line: string) => void;
  /** Exported to every command as `SOURCE_DATE_EPOCH`. */
  sourceDateEpoch?: number;
  /** Extra variables for every command, applied after the fixed base environment. */
  baseEnv?: Readonly<Record<string, string>>;
}

const FALLBACK_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const STDERR_TAIL_LINES = 20;

/** The fixed environment every command starts from. */
export function baseEnvironment(sourceDateEpoch?: number): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? FALLBACK_PATH,
    HOME: process.env.HOME ?? '/root',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
  };
  if (sourceDateEpoch !== undefined) {
    if (!Number.isSafeInteger(sourceDateEpoch) || sourceDateEpoch < 0) {
      throw new InternalError(`invalid SOURCE_DATE_EPOCH: ${sourceDateEpoch}`);
    }
    env.SOURCE_DATE_EPOCH = String(sourceDateEpoch);
  }
  return env;
}

export function createRunner(options: RunnerOptions = {}): BinaryRunner {
  const environment = { ...baseEnvironment(options.sourceDateEpoch), ...options.baseEnv };
  const echo = options.echo ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const debug = options.debug ?? false;

  async function execute(argv: readonly string[], runOptions: RunOptions) {
    const [file, ...args] = argv;
    if (file === undefined || file === '') {
      throw new InternalError(`cannot run an empty command: ${JSON.stringify(argv)}`);
    }
    if (debug) {
      echo(`+ ${shellQuote(argv)}`);
    }
    const stdoutMode = runOptions.stdout ?? 'capture';
    // Loaded on the first command run: commands that run none start without it.
    const { execa } = await import('execa');
    const result = await execa(file, args, {
      shell: false,
      reject: false,
      extendEnv: false,
      env: { ...environment, ...runOptions.env },
      encoding: 'buffer',
      stripFinalNewline: false,
      stdout: stdoutMode === 'capture' ? 'pipe' : stdoutMode,
      stderr: 'pipe',
      ...(runOptions.input === undefined ? { stdin: 'ignore' } : { input: runOptions.input }),
      ...(runOptions.cwd === undefined ? {} : { cwd: runOptions.cwd }),
      ...(runOptions.timeoutMs === undefined ? {} : { timeout: runOptions.timeoutMs }),
    });
    const stdout = result.stdout instanceof Uint8Array ? result.stdout : new Uint8Array();
    const stderr = result.stderr instanceof Uint8Array ? decode(result.stderr) : '';
    const exitCode = result.exitCode;
    const allowed = runOptions.allowExitCodes ?? [];
    const acceptable =
      !result.failed ||
      (exitCode !== undefined &&
        allowed.includes(exitCode) &&
        result.signal === undefined &&
        !result.timedOut &&
        !result.isMaxBuffer);
    if (acceptable && exitCode !== undefined) {
      return { argv: Object.freeze([...argv]), exitCode, stdout, stderr };
    }
    let stderrTail = tailLines(stderr, STDERR_TAIL_LINES);
    if (exitCode === undefined && result.signal === undefined) {
      stderrTail = await describeSpawnFailure(result, file, runOptions.cwd, stderrTail);
    } else if (result.isMaxBuffer) {
      stderrTail = `${stderrTail}\n(output exceeded the capture limit)`.trimStart();
    }
    throw new ToolError({
      argv,
      exitCode,
      ...(result.signal === undefined ? {} : { signal: result.signal }),
      ...(result.timedOut && runOptions.timeoutMs !== undefined
        ? { timeoutMs: runOptions.timeoutMs }
        : {}),
      stderrTail,
      ...(result.cause === undefined ? {} : { cause: result.cause }),
    });
  }

  return {
    async run(argv, runOptions = {}) {
      const result = await execute(argv, runOptions);
      return { ...result, stdout: decode(result.stdout) };
    },
    async runBinary(argv, runOptions = {}) {
      return execute(argv, runOptions);
    },
  };
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
