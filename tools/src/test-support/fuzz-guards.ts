/**
 * What each fuzz case is checked against: the errors it may throw, a watchdog thread against
 * hangs of synchronous code, and measures of memory.
 */

import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

const MIB = 1024 * 1024;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/** A fuzz case broke a rule: the parser threw something untyped, hung, or used too much memory. */
export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

const RUNTIME_ERRORS: readonly ErrorClass[] = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Node errors that a typed error may carry as its cause: invalid UTF-8 met by a fatal
 * TextDecoder, zlib's verdicts on corrupt data, crypto libraries refusing key material.
 */
export function isExpectedCause(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (code.startsWith('ERR_ENCODING_') ||
      code.startsWith('Z_') ||
      code.startsWith('ERR_OSSL_') ||
      code.startsWith('ERR_CRYPTO_') ||
      code === 'ERR_BUFFER_TOO_LARGE')
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}: ${String(error)}`;
  const stack = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
  return `${error.name}: ${error.message}\n${stack}`;
}

/**
 * Passes when `error` is one of `allowed` and no TypeError, RangeError, ReferenceError or
 * SyntaxError of the program's own (see {@link isExpectedCause}) hides in its causes.
 */
export function checkTypedError(error: unknown, allowed: readonly ErrorClass[]): void {
  if (error instanceof FuzzFailure) throw error;
  if (!allowed.some((type) => error instanceof type)) {
    throw new FuzzFailure(
      `threw ${describeError(error)}\n(allowed: ${allowed.map((type) => type.name).join(', ')})`,
      { cause: error },
    );
  }
  let cause: unknown = (error as Error).cause;
  for (let depth = 0; cause instanceof Error && depth < 16; depth++) {
    if (RUNTIME_ERRORS.some((type) => cause instanceof type) && !isExpectedCause(cause)) {
      throw new FuzzFailure(`threw a ${(error as Error).name} that hides ${describeError(cause)}`, {
        cause: error,
      });
    }
    cause = cause.cause;
  }
}

interface WatchdogState {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly started: Float64Array;
  readonly input: Uint8Array;
  readonly label: Uint8Array;
}

const WATCHDOG_INPUT_BYTES = 4 * MIB;
const WATCHDOG_LABEL_BYTES = 512;

/**
 * Runs in its own thread: when the main thread has been inside one case for longer than the
 * hang limit (a synchronous loop cannot be interrupted from inside), it saves the input, says
 * where, and kills the process so that the run fails instead of hanging.
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const control = new Int32Array(workerData.control);
const started = new Float64Array(workerData.started);
const input = new Uint8Array(workerData.input);
const label = new Uint8Array(workerData.label);
for (;;) {
  Atomics.wait(control, 3, 0, 200);
  if (Atomics.load(control, 3) === 1) break;
  if (Atomics.load(control, 0) !== 1) continue;
  const elapsed = Date.now() - started[0];
  if (elapsed <= workerData.hangMs) continue;
  const length = Atomics.load(control, 1);
  const name = Buffer.from(label.subarray(0, Atomics.load(control, 2))).toString();
  const file = join(workerData.dir, 'fuzz-hang-' + process.pid + '-' + Date.now() + '.bin');
  try { writeFileSync(file, input.subarray(0, length)); } catch {}
  writeSync(2, '\\nFUZZ HANG: ' + name + ' ran for ' + elapsed + ' ms (limit ' + workerData.hangMs +
    ' ms); its input (' + length + ' bytes) is saved in ' + file + '\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

export function startWatchdog(hangMs: number): WatchdogState {
  const control = new Int32Array(new SharedArrayBuffer(4 * 4));
  const started = new Float64Array(new SharedArrayBuffer(8));
  const input = new Uint8Array(new SharedArrayBuffer(WATCHDOG_INPUT_BYTES));
  const label = new Uint8Array(new SharedArrayBuffer(WATCHDOG_LABEL_BYTES));
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: {
      control: control.buffer,
      started: started.buffer,
      input: input.buffer,
      label: label.buffer,
      hangMs,
      dir: tmpdir(),
    },
  });
  worker.unref();
  return { worker, control, started, input, label };
}

export function armWatchdog(
  state: WatchdogState,
  label: string,
  input: Uint8Array | undefined,
): void {
  const name = new TextEncoder().encode(label).subarray(0, WATCHDOG_LABEL_BYTES);
  state.label.set(name);
  Atomics.store(state.control, 2, name.length);
  const stored = input?.subarray(0, WATCHDOG_INPUT_BYTES) ?? new Uint8Array();
  state.input.set(stored);
  Atomics.store(state.control, 1, stored.length);
  state.started[0] = Date.now();
  Atomics.store(state.control, 0, 1);
}

export function disarmWatchdog(state: WatchdogState): void {
  Atomics.store(state.control, 0, 0);
}

export async function stopWatchdog(state: WatchdogState): Promise<void> {
  Atomics.store(state.control, 3, 1);
  Atomics.notify(state.control, 3);
  await state.worker.terminate();
}

let collectGarbage: (() => void) | undefined | null = null;

/** A full garbage collection, when the engine lets one be asked for. */
export function fullGc(): boolean {
  if (collectGarbage === null) {
    try {
      setFlagsFromString('--expose-gc');
      collectGarbage = runInNewContext('gc') as () => void;
    } catch {
      collectGarbage = undefined;
    }
  }
  collectGarbage?.();
  return collectGarbage !== undefined;
}

export function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}
