import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../core/run.ts';

const TSORT_HEADER = '========== tsorting packages';
/** `D:     3    0    7    3       +ncurses-libs-6.4-4.el10.x86_64`: order, #predecessors, #successors, depth. */
const TSORT_LINE = /^D:\s+\d+\s+\d+\s+\d+\s+\d+\s+\+(\S+)$/;

/** The NEVRAs of rpm's `-vv` tsort table, in the order rpm installs them. */
export function parseTsortTable(debugOutput: string): string[] {
  const lines = debugOutput.split('\n');
  const start = lines.findIndex((line) => line.includes(TSORT_HEADER));
  if (start < 0) return [];
  const order: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = TSORT_LINE.exec(line);
    if (match?.[1] === undefined) break;
    order.push(match[1]);
  }
  return order;
}

/**
 * The order rpm itself installs package files in when they are given in this order: what
 * `rpm -i --test -vv` prints as it sorts the transaction, in an empty scratch root.
 * Dependencies are not checked (`--nodeps`), so a partial set still gets ordered.
 */
export async function rpmTransactionOrder(
  runner: Runner,
  files: readonly string[],
): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'rpm-order-'));
  try {
    await runner.run(['rpm', '--root', root, '--initdb']);
    const { stderr } = await runner.run(
      ['rpm', '--root', root, '-i', '--test', '--nodeps', '--nosignature', '-vv', ...files],
      // --test still reports file conflicts (exit status: their count); the order comes first.
      { allowExitCodes: Array.from({ length: 256 }, (_, code) => code) },
    );
    const order = parseTsortTable(stderr);
    if (order.length !== files.length) {
      throw new Error(
        `rpm ordered ${order.length} of ${files.length} packages:\n${stderr.split('\n').slice(-20).join('\n')}`,
      );
    }
    return order;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
