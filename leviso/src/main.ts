import { runCli } from '@levitate/tools/cli';
import { createProgram } from './cli.ts';

export async function main(argv: readonly string[]): Promise<number> {
  return runCli(createProgram(), argv);
}
