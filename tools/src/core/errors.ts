/**
 * The three error families of the tools.
 *
 * - {@link UserError}: something the person running the tool can fix (a bad spec file, a missing
 *   host package). Reported without a stack trace, with an optional hint.
 * - {@link ToolError}: an external command failed. Carries the command line and the end of its
 *   stderr, which is usually all that is needed to understand the failure.
 * - {@link InternalError}: a bug in the tools themselves.
 */

import { shellQuote } from './shell-quote.ts';

export { shellQuote };

function causeOption(options: { cause?: unknown } | undefined): ErrorOptions | undefined {
  return options !== undefined && 'cause' in options ? { cause: options.cause } : undefined;
}

/** A problem the user can fix: invalid input, a missing host tool, a wrong flag. */
export class UserError extends Error {
  override name = 'UserError';
  /** Short kebab-case identifier such as `spec-invalid`, stable enough to match on. */
  readonly code: string;
  /** One line telling the user what to do about it. */
  readonly hint?: string;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, causeOption(options));
    this.code = code;
    if (options?.hint !== undefined) {
      this.hint = options.hint;
    }
  }
}

/** Details of a failed external command. */
export interface ToolErrorDetails {
  argv: readonly string[];
  /** Undefined when the command could not be started or was killed by a signal. */
  exitCode: number | undefined;
  signal?: string;
  /** The last lines of the command's stderr (or an explanation when there is none). */
  stderrTail: string;
  /** Set when the command was killed because it ran longer than this many milliseconds. */
  timeoutMs?: number;
  cause?: unknown;
}

function describeCommandFailure(details: ToolErrorDetails): string {
  const command = shellQuote(details.argv);
  let summary: string;
  if (details.timeoutMs !== undefined) {
    summary = `${command} timed out after ${details.timeoutMs} ms`;
    if (details.signal !== undefined) {
      summary += ` and was killed by ${details.signal}`;
    }
  } else if (details.signal !== undefined) {
    summary = `${command} was killed by ${details.signal}`;
  } else if (details.exitCode !== undefined) {
    summary = `${command} failed with exit code ${details.exitCode}`;
  } else {
    summary = `${command} failed`;
  }
  const tail = details.stderrTail.trimEnd();
  if (tail === '') {
    return summary;
  }
  const indented = tail
    .split('\n')
    .map((line) => `    ${line}`.trimEnd())
    .join('\n');
  return `${summary}\n${indented}`;
}

/** An external command failed (non-zero exit, signal, timeout, or it could not be started). */
export class ToolError extends Error {
  override name = 'ToolError';
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly signal?: string;
  readonly stderrTail: string;
  readonly timeoutMs?: number;

  constructor(details: ToolErrorDetails) {
    super(describeCommandFailure(details), causeOption(details));
    this.argv = Object.freeze([...details.argv]);
    this.exitCode = details.exitCode;
    if (details.signal !== undefined) {
      this.signal = details.signal;
    }
    this.stderrTail = details.stderrTail;
    if (details.timeoutMs !== undefined) {
      this.timeoutMs = details.timeoutMs;
    }
  }
}

/** A bug: an invariant of the tools themselves did not hold. */
export class InternalError extends Error {
  override name = 'InternalError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, causeOption(options));
  }
}

/**
 * The value, or an InternalError naming what was missing: for values the tools' own code
 * guarantees, where a fallback such as `''` would only carry the bug further.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InternalError(`${what} is missing`);
  return value;
}

/**
 * The error again with the stage in front of its message, of the same class with the same
 * fields (an ImageBuildError stays one, with its code, hint and package), the original as its
 * cause. It is a copy: the thrown object itself is left as it was.
 */
function rewrap(stage: string, err: unknown): Error {
  if (!(err instanceof Error)) {
    return new InternalError(`failed to ${stage}: ${describeThrown(err)}`, { cause: err });
  }
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Error;
  for (const key of Reflect.ownKeys(err)) {
    const descriptor = Object.getOwnPropertyDescriptor(err, key);
    if (descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
  }
  Object.defineProperty(copy, 'message', {
    value: `failed to ${stage}: ${err.message}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(copy, 'cause', {
    value: err,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return copy;
}

/** The message of something thrown: an Error's message, or the value described. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : describeThrown(thrown);
}

/** Renders any thrown value as text, for values that are not Errors. */
export function describeThrown(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `fn` as the named stage of a larger job. If it throws, the error is rethrown as a copy of
 * the same class with the message `failed to <stage>: ...` and the original error as `cause`.
 * Anything thrown that is not an Error becomes an InternalError.
 */
export async function inStage<T>(stage: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw rewrap(stage, err);
  }
}
