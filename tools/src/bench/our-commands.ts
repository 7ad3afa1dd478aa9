import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import type { BenchCommand } from './process-sample.ts';

/** The builders whose commands are benchmarked, each run through its bin as a user runs it. */
export type BenchBin = 'acorn' | 'leviso';

export function binPath(bin: BenchBin): string {
  return join(WORKSPACE_ROOT, bin, 'bin', `${bin}.js`);
}

/** `node <bin> args…` from the workspace root; its start-up is `<bin> --version`. */
export function ourCommand(
  bin: BenchBin,
  args: readonly string[],
  options: { label?: string; prepare?: () => Promise<unknown> } = {},
): BenchCommand {
  return {
    label: options.label ?? `${bin} ${args.join(' ')}`,
    argv: [process.execPath, binPath(bin), ...args],
    cwd: WORKSPACE_ROOT,
    startup: [process.execPath, binPath(bin), '--version'],
    ...(options.prepare === undefined ? {} : { prepare: options.prepare }),
  };
}

/** The least a Node.js process does: what our start-up is measured against. */
export const BARE_NODE: BenchCommand = {
  label: 'node -e 0',
  argv: [process.execPath, '-e', '0'],
  startup: [process.execPath, '-e', '0'],
};
