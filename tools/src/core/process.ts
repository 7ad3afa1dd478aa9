import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ToolError, shellQuote } from './errors.ts';
import { baseEnvironment } from './run.ts';

/** A long-running external program (a VM, a server) started through the project's runner rules. */
export interface RunningProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Resolves when the program ends, whatever its exit code. */
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  stop(signal?: NodeJS.Signals): void;
}

export interface StartOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** stdout and stderr are appended to this file; otherwise they are discarded. */
  readonly logFile?: string;
  /** Leave the program running after this process exits (for `vm start`). */
  readonly detached?: boolean;
  readonly debug?: boolean;
}

/**
 * Starts a program with an argv array in the same clean environment as `createRunner`, with
 * stdin closed and output to a log file. A program that cannot be started fails with a ToolError.
 */
export async function startProcess(
  argv: readonly string[],
  options: StartOptions = {},
): Promise<RunningProcess> {
  const [file, ...args] = argv;
  if (file === undefined) {
    throw new ToolError({ argv, exitCode: undefined, stderrTail: 'empty command' });
  }
  if (options.debug) process.stderr.write(`+ ${shellQuote(argv)} &\n`);
  const log = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
  const child = spawn(file, args, {
    shell: false,
    env: { ...baseEnvironment(), ...options.env },
    stdio: ['ignore', log, log],
    detached: options.detached ?? false,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  if (typeof log === 'number') closeSync(log);
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined }>(
    (resolve) =>
      child.once('exit', (code, signal) =>
        resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }),
      ),
  );
  const failure = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (failure !== undefined || child.pid === undefined) {
    throw new ToolError({
      argv,
      exitCode: undefined,
      stderrTail: `could not start ${file}: ${failure?.message ?? 'no process id'}`,
      cause: failure,
    });
  }
  if (options.detached) child.unref();
  return {
    pid: child.pid,
    argv: Object.freeze([...argv]),
    exited,
    stop: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
