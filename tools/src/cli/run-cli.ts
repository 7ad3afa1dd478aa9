import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { exitCodeFor, formatError } from '../core/format-error.ts';

/**
 * The status of a command whose reader went away (`leviso inspect x.rpm | head`): 128 + SIGPIPE,
 * what a shell reports for `cat`, `grep` or `yes` killed by SIGPIPE in the same place. Not 0,
 * so that a script with `set -o pipefail` sees that the output was cut short; not an error
 * message, because the reader leaving early is how `head` is meant to work.
 */
export const BROKEN_PIPE_STATUS = 128 + 13;

let stdoutClosed = false;
let watching = false;
/** What a command that succeeded says by its exit status (`diff`: 1 when the builds differ). */
let commandStatus = 0;

/** Sets the exit status of a command that ran to its end; 0 unless a command sets it. */
export function setCommandStatus(status: number): void {
  commandStatus = status;
}

/**
 * Node ignores SIGPIPE, so a write to a closed pipe becomes an `error` event on stdout which,
 * unhandled, crashes the process with a stack trace. Handled once per process: the rest of the
 * output is dropped and the process ends with {@link BROKEN_PIPE_STATUS}, whenever it happens.
 */
function watchStdout(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    stdoutClosed = true;
    process.exitCode = BROKEN_PIPE_STATUS;
  });
}

/**
 * The only place errors are caught: runs the program, prints a failure once to stderr, and
 * returns the exit code.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  watchStdout();
  commandStatus = 0;
  try {
    await program.parseAsync([...argv]);
    return stdoutClosed ? BROKEN_PIPE_STATUS : commandStatus;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const debug = program.opts<{ debug?: boolean }>().debug === true;
    process.stderr.write(`${formatError(error, { debug })}\n`);
    return exitCodeFor(error);
  }
}
