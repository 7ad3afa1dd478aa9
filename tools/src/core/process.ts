import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
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
  /** Give the program this process's terminal (stdin, stdout, stderr), e.g. a VM console. */
  readonly interactive?: boolean;
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
    stdio: options.interactive ? 'inherit' : ['ignore', log, log],
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

/**
 * Runs a filter program (`xz -dc`) as a stream: `input` is piped into its stdin and its stdout
 * is returned. A failure (non-zero exit, signal, cannot start) destroys the output stream with a
 * ToolError carrying the stderr tail, so a consumer never mistakes truncated output for the end.
 */
export function filterThrough(
  argv: readonly string[],
  input: NodeJS.ReadableStream,
): NodeJS.ReadableStream {
  const [file, ...args] = argv;
  if (file === undefined)
    throw new ToolError({ argv, exitCode: undefined, stderrTail: 'empty command' });
  const child = spawn(file, args, {
    shell: false,
    env: baseEnvironment(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const fail = (error: ToolError) => {
    child.stdout.destroy(error);
    child.kill('SIGKILL');
  };
  input.on('error', (error: Error) =>
    fail(
      new ToolError({
        argv,
        exitCode: undefined,
        stderrTail: `input failed: ${error.message}`,
        cause: error,
      }),
    ),
  );
  child.stdin.on('error', () => undefined);
  input.pipe(child.stdin);
  child.once('error', (error) =>
    fail(
      new ToolError({
        argv,
        exitCode: undefined,
        stderrTail: `could not start ${file}: ${error.message}`,
        cause: error,
      }),
    ),
  );
  // The exit code is only known once the process ends: hold back the end of its output until then.
  const output = new PassThrough();
  child.stdout.pipe(output, { end: false });
  let stdoutEnded = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const finish = () => {
    if (!stdoutEnded || exit === undefined) return;
    if (exit.code === 0) output.end();
    else {
      const failure = new ToolError({
        argv,
        exitCode: exit.code ?? undefined,
        ...(exit.signal ? { signal: exit.signal } : {}),
        stderrTail: stderr.trim(),
      });
      output.destroy(failure);
    }
  };
  child.stdout.once('end', () => {
    stdoutEnded = true;
    finish();
  });
  child.stdout.once('error', (error) => output.destroy(error));
  child.once('close', (code, signal) => {
    exit = { code, signal };
    stdoutEnded = true;
    finish();
  });
  return output;
}
