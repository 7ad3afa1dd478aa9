/**
 * One attempt at downloading a URL into a partial file: resumes with `Range` when the file
 * already holds bytes, and classifies whatever goes wrong.
 */

import type { IncomingMessage } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { parseRetryAfter } from './backoff.ts';
import { openResponse, PermanentFailure, SilenceFailure } from './http-request.ts';
import type { HttpTransport } from './http-request.ts';
import { sizeOrZero } from '../core/atomic-file.ts';
import { CacheWriteError, TooLongFailure, writeBody } from './http-body.ts';

export type AttemptOutcome =
  | { readonly kind: 'complete'; readonly size: number }
  | { readonly kind: 'not-found'; readonly reason: string }
  | {
      readonly kind: 'transient';
      readonly reason: string;
      readonly retryAfterMs?: number;
      readonly unreachable?: boolean;
    }
  | { readonly kind: 'permanent'; readonly reason: string; readonly unreachable?: boolean }
  | { readonly kind: 'mismatch'; readonly reason: string };

/** What one download remembers between its attempts on one mirror. */
export interface ResumeState {
  /** A strong validator of the file (ETag or Last-Modified) for `If-Range`. */
  validator?: string;
}

export interface AttemptOptions {
  readonly transport: HttpTransport;
  readonly url: URL;
  readonly partial: string;
  readonly state: ResumeState;
  readonly expectedSize?: number;
  readonly signal?: AbortSignal;
  readonly onSize?: (total: number) => void;
  readonly onBytes?: (bytesOnDisk: number) => void;
}

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const PERMANENT_CODES = new Set([
  'ENOTFOUND',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);
/**
 * Failures to reach a server at all: its name does not resolve, nothing listens, no route, or
 * no answer in time. A mirror that fails only this way may simply be out of reach from here.
 */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ETIMEDOUT',
]);

function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof SilenceFailure || (typeof code === 'string' && UNREACHABLE_CODES.has(code));
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseLength(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** `bytes 100-199/200` → start and total (total undefined for `*`). */
function parseContentRange(
  text: string | undefined,
): { start: number; total?: number } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(text?.trim() ?? '');
  if (match === null) {
    return undefined;
  }
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** The total in `bytes * /200`, sent with 416. */
function unsatisfiedTotal(text: string | undefined): number | undefined {
  const match = /^bytes\s+\*\/(\d+)$/i.exec(text?.trim() ?? '');
  return match === null ? undefined : Number(match[1]);
}

function strongValidator(response: IncomingMessage): string | undefined {
  const etag = header(response, 'etag');
  if (etag !== undefined && !etag.startsWith('W/')) {
    return etag;
  }
  return header(response, 'last-modified');
}

function describeStatus(response: IncomingMessage): string {
  const status = response.statusCode ?? 0;
  const message = response.statusMessage ?? '';
  return message === '' ? `HTTP ${status}` : `HTTP ${status} ${message}`;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) {
    return String(err);
  }
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code)
    ? `${err.message} (${code})`
    : err.message;
}

function failure(
  err: unknown,
  signal: AbortSignal | undefined,
  connecting = false,
): AttemptOutcome {
  if (signal?.aborted === true) {
    throw signal.reason;
  }
  if (err instanceof CacheWriteError) {
    throw err;
  }
  if (err instanceof TooLongFailure) {
    return { kind: 'mismatch', reason: err.message };
  }
  const code = (err as { code?: unknown } | null)?.code;
  const unreachable = connecting && isUnreachable(err) ? { unreachable: true } : {};
  if (err instanceof PermanentFailure || (typeof code === 'string' && PERMANENT_CODES.has(code))) {
    return { kind: 'permanent', reason: describeError(err), ...unreachable };
  }
  return { kind: 'transient', reason: describeError(err), ...unreachable };
}

function isConnectionTrouble(err: unknown): boolean {
  return !(
    err instanceof CacheWriteError ||
    err instanceof TooLongFailure ||
    err instanceof PermanentFailure
  );
}

async function restart(partial: string, reason: string): Promise<AttemptOutcome> {
  await writeFile(partial, '');
  return { kind: 'transient', reason: `${reason}; starting again from the first byte` };
}

async function receive(
  options: AttemptOptions,
  response: IncomingMessage,
  offset: number,
): Promise<AttemptOutcome> {
  const status = response.statusCode ?? 0;
  if (status === 404 || status === 410) {
    return { kind: 'not-found', reason: describeStatus(response) };
  }
  if (status === 416 && offset > 0) {
    if (unsatisfiedTotal(header(response, 'content-range')) === offset) {
      return { kind: 'complete', size: offset };
    }
    return restart(options.partial, 'the server cannot resume the partial download (HTTP 416)');
  }
  if (TRANSIENT_STATUS.has(status)) {
    return {
      kind: 'transient',
      reason: describeStatus(response),
      retryAfterMs: parseRetryAfter(header(response, 'retry-after')),
    };
  }
  if (status !== 200 && status !== 206) {
    return { kind: 'permanent', reason: describeStatus(response) };
  }
  const length = parseLength(header(response, 'content-length'));
  let start = 0;
  let total = length;
  if (status === 206) {
    const range = parseContentRange(header(response, 'content-range'));
    if (range === undefined || range.start !== offset) {
      return restart(options.partial, 'the server sent a different byte range than requested');
    }
    start = offset;
    total = range.total;
  }
  options.state.validator = strongValidator(response);
  if (total !== undefined) {
    if (options.expectedSize !== undefined && total !== options.expectedSize) {
      return {
        kind: 'mismatch',
        reason: `the server announces ${total} bytes, expected ${options.expectedSize}`,
      };
    }
    options.onSize?.(total);
  }
  let received = 0;
  let end: number;
  try {
    end = await writeBody(response, {
      file: options.partial,
      start,
      stallMs: options.transport.stallMs,
      limit: options.expectedSize,
      onBytes: (bytes) => {
        received = bytes - start;
        options.onBytes?.(bytes);
      },
    });
  } catch (err) {
    if (options.signal?.aborted === true || !isConnectionTrouble(err)) {
      throw err;
    }
    const progress = `${received} of ${length ?? 'an unknown number of'} bytes`;
    const reason =
      err instanceof SilenceFailure
        ? `${err.message}, after ${progress}`
        : `connection lost after ${progress} (${describeError(err)})`;
    return { kind: 'transient', reason };
  }
  if (length !== undefined && end - start < length) {
    return {
      kind: 'transient',
      reason: `connection closed after ${end - start} of ${length} bytes`,
    };
  }
  return { kind: 'complete', size: end };
}

export async function attemptDownload(options: AttemptOptions): Promise<AttemptOutcome> {
  let offset = await sizeOrZero(options.partial);
  if (options.expectedSize !== undefined && offset > options.expectedSize) {
    await writeFile(options.partial, '');
    offset = 0;
  }
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers['range'] = `bytes=${offset}-`;
    if (options.state.validator !== undefined) {
      headers['if-range'] = options.state.validator;
    }
  }
  let opened;
  try {
    opened = await openResponse(options.transport, options.url, headers, options.signal);
  } catch (err) {
    return failure(err, options.signal, true);
  }
  try {
    return await receive(options, opened.response, offset);
  } catch (err) {
    return failure(err, options.signal);
  } finally {
    if (!opened.response.complete) {
      opened.request.destroy();
    }
  }
}
