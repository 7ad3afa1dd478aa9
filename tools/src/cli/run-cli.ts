import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { exitCodeFor, formatError } from '../core/format-error.ts';

/**
 * The only place errors are caught: runs the program, prints a failure once to stderr, and
 * returns the exit code.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const debug = program.opts<{ debug?: boolean }>().debug === true;
    process.stderr.write(`${formatError(error, { debug })}\n`);
    return exitCodeFor(error);
  }
}
