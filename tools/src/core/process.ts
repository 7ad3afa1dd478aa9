import { execa } from 'execa';
import type { Options } from 'execa';
import { ToolError, shellQuote } from './errors.ts';
import { baseEnvironment } from './run.ts';

/** A long-running external program (a VM, a server) started through the project's runner rules. */
export interface RunningProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Resolves with the exit code when the program ends, whatever the code. */
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
 * stdin closed. A program that cannot be started fails with a ToolError.
 */
export async function startProcess(
  argv: readonly string[],
  options: StartOptions = {},
): Promise<RunningProcess> {
  const [file, ...args] = argv;
  if (file === undefined)
    throw new ToolError({ argv, exitCode: undefined, stderrTail: 'empty command' });
  if (options.debug) process.stderr.write(`+ ${shellQuote(argv)} &\n`);
  const log = options.logFile === undefined ? 'ignore' : { file: options.logFile, append: true };
  const execaOptions: Options = {
    shell: false,
    reject: false,
    extendEnv: false,
    env: { ...baseEnvironment(), ...options.env },
    stdin: 'ignore',
    stdout: log,
    stderr: log,
    detached: options.detached ?? false,
    cleanup: !(options.detached ?? false),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  };
  const child = execa(file, args, execaOptions);
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (spawned !== undefined || child.pid === undefined) {
    throw new ToolError({
      argv,
      exitCode: undefined,
      stderrTail: `could not start ${file}: ${spawned?.message ?? 'no pid'}`,
      cause: spawned,
    });
  }
  if (options.detached) child.unref();
  const exited = child.then((result) => ({ exitCode: result.exitCode, signal: result.signal }));
  return {
    pid: child.pid,
    argv: Object.freeze([...argv]),
    exited,
    stop: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
