/**
 * Mutation and property-based fuzzing of the parsers of outside input, for `*.fuzz.test.ts`.
 *
 * - Mutators, written once as fast-check arbitraries: {@link flipBytes}, {@link overwriteBytes},
 *   {@link truncate}, {@link deleteBytes}, {@link insertBytes}, {@link splice} and
 *   {@link duplicate}, combined by {@link mutatedBytes} over seed inputs (real fixtures and
 *   generated valid inputs); {@link mutatedLines} does the same for line-based text.
 * - {@link fuzzTest} declares one vitest test per parser that runs the property and checks each
 *   case: the parser returns or throws one of the project's typed errors (no TypeError or
 *   RangeError, also not hidden as the cause of a typed one); the case ends within a deadline
 *   (a watchdog thread kills the process, after saving the input, if synchronous code hangs);
 *   and memory stays bounded, per case and across the run.
 *
 * fast-check is imported directly: `@fast-check/vitest` loads a second copy of vitest into each
 * test worker (about 260 MB of heap), which would make every full collection of the memory
 * check slow.
 *
 * Environment: `FUZZ_RUNS` cases per parser (each test has its own CI default), `FUZZ_SEED`
 * (fixed by default, printed by fast-check on failure), `FUZZ_PATH` to replay a counterexample,
 * `FUZZ_CASE_MS` deadline per case, `FUZZ_HANG_MS` before the watchdog kills, `FUZZ_CASE_MB` and
 * `FUZZ_RETAINED_MB` memory bounds.
 */

import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { it } from 'vitest';
import {
  FuzzFailure,
  armWatchdog,
  checkTypedError,
  disarmWatchdog,
  fullGc,
  memoryInUse,
  startWatchdog,
  stopWatchdog,
} from './fuzz-guards.ts';
import type { ErrorClass } from './fuzz-guards.ts';

export { fc };
export { FuzzFailure, checkTypedError, isExpectedCause } from './fuzz-guards.ts';
export type { ErrorClass } from './fuzz-guards.ts';
export {
  applyMutations,
  deleteBytes,
  duplicate,
  flipBytes,
  insertBytes,
  mutated,
  mutatedBytes,
  mutation,
  overwriteBytes,
  seedsAndMutants,
  showBytes,
  splice,
  truncate,
} from './fuzz-mutators.ts';
export type { Focus, MutateOptions, Mutated, Mutation } from './fuzz-mutators.ts';
export { chunkCuts, chunked, mutatedLines } from './fuzz-text.ts';
export type { LineMutation } from './fuzz-text.ts';

// Configuration

/** The seed used when `FUZZ_SEED` is not set, so that CI runs are reproducible. */
export const DEFAULT_FUZZ_SEED = 0x6c657669;

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${text} is not an integer`);
  return value;
}

export interface FuzzSettings {
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  /** A case taking longer fails the run. */
  readonly caseMs: number;
  /** A case still running after this long is taken for a hang: the process is killed. */
  readonly hangMs: number;
  /** Bytes one case may add to the heap and external memory. */
  readonly caseBytes: number;
  /** Bytes the run may add, after garbage collection, to what was in use after warm-up. */
  readonly retainedBytes: number;
}

const MIB = 1024 * 1024;

/** The settings for a parser whose CI default is `defaultRuns` cases. */
export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const caseMs = envInteger('FUZZ_CASE_MS') ?? 5000;
  const path = process.env['FUZZ_PATH'];
  return {
    runs: envInteger('FUZZ_RUNS') ?? defaultRuns,
    seed: envInteger('FUZZ_SEED') ?? DEFAULT_FUZZ_SEED,
    ...(path === undefined || path === '' ? {} : { path }),
    caseMs,
    hangMs: envInteger('FUZZ_HANG_MS') ?? Math.max(30_000, caseMs * 4),
    caseBytes: (envInteger('FUZZ_CASE_MB') ?? 256) * MIB,
    retainedBytes: (envInteger('FUZZ_RETAINED_MB') ?? 64) * MIB,
  };
}

/** What one fuzz test did, for the fuzz reporter. */
export interface FuzzMeta {
  readonly parser: string;
  readonly runs: number;
  readonly seed: number;
  /** Cases the parser accepted and refused with a typed error. */
  readonly accepted: number;
  readonly refused: number;
  readonly seconds: number;
  readonly slowestMs: number;
  /** Most memory one case added, and how much more stayed in use after warm-up (collected). */
  readonly peakCaseMiB: number;
  readonly retainedMiB: number | undefined;
}

declare module 'vitest' {
  interface TaskMeta {
    fuzz?: FuzzMeta;
  }
}

export interface FuzzTarget<T> {
  /** The parser, as reports name it: `RPM lead`, `tar archive`. */
  readonly parser: string;
  /** Cases in CI, unless `FUZZ_RUNS` says otherwise. */
  readonly runs: number;
  readonly inputs: fc.Arbitrary<T>;
  /** Parses one input, reading everything it yields; throws what the parser throws. */
  readonly parse: (input: T) => unknown;
  /** The typed errors the parser may throw. */
  readonly errors: readonly ErrorClass[];
  /** Other errors that are expected, such as a library's verdict on the input (see {@link isExpectedCause}). */
  readonly alsoAccept?: (error: Error) => boolean;
  /** Checks what the parser returned for an input it accepted. */
  readonly check?: (result: unknown, input: T) => void;
  /** The bytes saved when a case hangs; inputs that are bytes or text are saved as they are. */
  readonly bytesOf?: (input: T) => Uint8Array | undefined;
}

function defaultBytes(input: unknown): Uint8Array | undefined {
  if (input instanceof Uint8Array) return input;
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (typeof input === 'object' && input !== null && 'bytes' in input) {
    const bytes = (input as { bytes: unknown }).bytes;
    if (bytes instanceof Uint8Array) return bytes;
  }
  return undefined;
}

/**
 * How often, in cases, memory left behind is measured after a full collection; the first
 * measure is the baseline the later ones are compared with.
 */
const RETAINED_CHECK_EVERY = 500;

/**
 * Declares a test that runs `target.parse` over `target.runs` generated inputs and fails on the
 * first case that throws an untyped error, takes longer than the deadline, hangs (the watchdog
 * kills the process), or makes memory grow past the bounds.
 */
export function fuzzTest<T>(name: string, target: FuzzTarget<T>): void {
  const settings = fuzzSettings(target.runs);
  const timeout = Math.max(120_000, settings.runs * 200);
  it(
    name,
    async ({ task }) => {
      const watchdog = startWatchdog(settings.hangMs);
      let accepted = 0;
      let refused = 0;
      let cases = 0;
      let slowest = 0;
      let peakCase = 0;
      let retained: number | undefined;
      const started = performance.now();
      const canCollect = fullGc();
      // Memory in use once the first cases have warmed up the parser (compiled code, caches).
      let baseline: number | undefined;
      const measureRetained = async () => {
        // Array buffers are freed on a background thread after a collection; the second
        // collection, a turn of the event loop later, sees them gone.
        fullGc();
        await new Promise((resolve) => setTimeout(resolve, 20));
        fullGc();
        const now = memoryInUse();
        baseline ??= now;
        retained = Math.max(retained ?? 0, now - baseline);
      };
      const property = fc.asyncProperty(target.inputs, async (input) => {
        cases += 1;
        // Outside shrinking, case n is what FUZZ_SEED=seed FUZZ_PATH=n-1 replays.
        const label = `${target.parser}, case ${cases} (FUZZ_SEED=${settings.seed} FUZZ_PATH=${cases - 1})`;
        const before = memoryInUse();
        armWatchdog(watchdog, label, (target.bytesOf ?? defaultBytes)(input));
        const caseStart = performance.now();
        let timer: NodeJS.Timeout | undefined;
        let outcome: { readonly result: unknown } | { readonly error: unknown };
        try {
          const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () =>
                reject(new FuzzFailure(`${label}: no result after ${settings.caseMs} ms (a hang)`)),
              settings.caseMs,
            );
          });
          const parsed = Promise.resolve().then(() => target.parse(input));
          outcome = { result: await Promise.race([parsed, deadline]) };
        } catch (error) {
          outcome = { error };
        } finally {
          clearTimeout(timer);
          disarmWatchdog(watchdog);
        }
        const elapsed = performance.now() - caseStart;
        // Back to the event loop between cases, as a program would be: what parsers leave for
        // it (zlib handles close in a later tick) is then released instead of piling up.
        await new Promise((resolve) => setImmediate(resolve));
        slowest = Math.max(slowest, elapsed);
        const grown = memoryInUse() - before;
        peakCase = Math.max(peakCase, grown);
        if ('error' in outcome) {
          const { error } = outcome;
          const other =
            error instanceof Error &&
            !(error instanceof FuzzFailure) &&
            target.alsoAccept?.(error) === true;
          if (!other) checkTypedError(error, target.errors);
          refused += 1;
        } else {
          target.check?.(outcome.result, input);
          accepted += 1;
        }
        if (elapsed > settings.caseMs) {
          throw new FuzzFailure(
            `${label}: took ${elapsed.toFixed(0)} ms (limit ${settings.caseMs} ms)`,
          );
        }
        if (grown > settings.caseBytes) {
          throw new FuzzFailure(
            `${label}: memory grew by ${(grown / MIB).toFixed(0)} MiB (limit ${settings.caseBytes / MIB} MiB)`,
          );
        }
        if (canCollect && cases % RETAINED_CHECK_EVERY === 0) {
          await measureRetained();
          if ((retained ?? 0) > settings.retainedBytes) {
            throw new FuzzFailure(
              `${label}: ${((retained ?? 0) / MIB).toFixed(0)} MiB more stays in use after ${cases} cases than after ${RETAINED_CHECK_EVERY} (limit ${settings.retainedBytes / MIB} MiB)`,
            );
          }
        }
      });
      try {
        await fc.assert(property, {
          numRuns: settings.runs,
          seed: settings.seed,
          ...(settings.path === undefined ? {} : { path: settings.path }),
        });
        if (canCollect && baseline !== undefined) await measureRetained();
      } finally {
        await stopWatchdog(watchdog);
        task.meta.fuzz = {
          parser: target.parser,
          runs: settings.runs,
          seed: settings.seed,
          accepted,
          refused,
          seconds: (performance.now() - started) / 1000,
          slowestMs: slowest,
          peakCaseMiB: peakCase / MIB,
          retainedMiB: retained === undefined ? undefined : retained / MIB,
        };
      }
      if (retained !== undefined && retained > settings.retainedBytes) {
        throw new FuzzFailure(
          `${target.parser}: ${(retained / MIB).toFixed(0)} MiB stays in use after the run (limit ${settings.retainedBytes / MIB} MiB)`,
        );
      }
    },
    timeout,
  );
}

/** A private folder for inputs that parsers read from files, one file per name, rewritten per case. */
export class ScratchDir {
  #dir = '';

  async open(prefix: string): Promise<void> {
    this.#dir = await mkdtemp(join(tmpdir(), prefix));
  }

  /** Writes `bytes` to `name` in the folder and returns the path. */
  write(name: string, bytes: Uint8Array): string {
    const file = join(this.#dir, name);
    writeFileSync(file, bytes);
    return file;
  }

  path(name: string): string {
    return join(this.#dir, name);
  }

  async close(): Promise<void> {
    if (this.#dir !== '') await rm(this.#dir, { recursive: true, force: true });
    this.#dir = '';
  }
}
