import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { FetcherOptions } from './types.ts';

/** The fetcher's options with every default filled in and every number checked. */
export interface FetchSettings {
  readonly cacheDir: string;
  readonly offline: boolean;
  readonly concurrency: number;
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly timeoutMs: number;
  readonly stallMs: number;
  readonly maxRedirects: number;
  readonly copyLocalFiles: boolean;
  readonly userAgent: string;
}

export const DEFAULT_USER_AGENT = 'levitate-tools';

function whole(name: string, value: number | undefined, fallback: number, least: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < least) {
    throw new UserError(
      'fetch-bad-option',
      `${name} must be a whole number of at least ${least}, not ${chosen}`,
    );
  }
  return chosen;
}

export function resolveSettings(options: FetcherOptions): FetchSettings {
  if (options.cacheDir === '') {
    throw new UserError('fetch-bad-option', 'the fetch cache directory must not be empty');
  }
  return {
    cacheDir: resolve(options.cacheDir),
    offline: options.offline ?? false,
    concurrency: whole('concurrency', options.concurrency, 4, 1),
    retries: whole('retries', options.retries, 4, 0),
    backoffMs: whole('backoffMs', options.backoffMs, 500, 0),
    maxBackoffMs: whole('maxBackoffMs', options.maxBackoffMs, 30_000, 0),
    timeoutMs: whole('timeoutMs', options.timeoutMs, 30_000, 1),
    stallMs: whole('stallMs', options.stallMs, 30_000, 1),
    maxRedirects: whole('maxRedirects', options.maxRedirects, 5, 0),
    copyLocalFiles: options.copyLocalFiles ?? false,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
  };
}
