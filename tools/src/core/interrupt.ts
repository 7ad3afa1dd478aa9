/**
 * Ctrl-C and `kill` during a build: the work it leaves behind is removed, the user is told, and
 * the process exits with the status a shell gives those signals (128 + the signal number).
 */

import { messageOf } from './errors.ts';

const EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

type InterruptSignal = keyof typeof EXIT_STATUS;

/**
 * Clean-ups of the work running now; it is one set because signals reach the whole process.
 * Each returns a line saying what it removed, or undefined when there was nothing to remove.
 */
const pending = new Set<() => string | undefined>();

function interrupted(signal: InterruptSignal): void {
  const lines = [`interrupted by ${signal}`];
  // Synchronous, so nothing of the interrupted work runs between the clean-up and the exit.
  for (const cleanup of [...pending].reverse()) {
    try {
      const done = cleanup();
      if (done !== undefined) lines.push(done);
    } catch (err) {
      lines.push(`could not clean up: ${messageOf(err)}`);
    }
  }
  const start = process.stderr.isTTY ? '\n' : '';
  process.stderr.write(`${start}${lines.join('\n')}\n`);
  process.exit(EXIT_STATUS[signal]);
}

const listeners: Record<InterruptSignal, () => void> = {
  SIGINT: () => interrupted('SIGINT'),
  SIGTERM: () => interrupted('SIGTERM'),
};

function listen(on: boolean): void {
  for (const signal of Object.keys(listeners) as InterruptSignal[]) {
    process.removeListener(signal, listeners[signal]);
    if (on) process.on(signal, listeners[signal]);
  }
}

/**
 * Runs `fn`; if SIGINT or SIGTERM arrives meanwhile, runs `cleanup` (which must be
 * synchronous), prints `interrupted by <signal>` and what was cleaned up on stderr, and exits
 * with 130 or 143.
 */
export async function withInterruptCleanup<T>(
  cleanup: () => string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  pending.add(cleanup);
  listen(true);
  try {
    return await fn();
  } finally {
    pending.delete(cleanup);
    listen(pending.size > 0);
  }
}
