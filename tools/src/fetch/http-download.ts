/** Downloading from one mirror: attempts, backoff between them, and when to give up. */

import type { Reporter } from '../core/step.ts';
import { backoffDelay, sleep } from './backoff.ts';
import { attemptDownload } from './http-attempt.ts';
import type { ResumeState } from './http-attempt.ts';
import type { HttpTransport } from './http-request.ts';

export type MirrorOutcome =
  | { readonly kind: 'complete'; readonly size: number }
  | { readonly kind: 'not-found'; readonly reason: string }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      /** Every attempt failed to reach the server at all (see {@link AttemptOutcome}). */
      readonly unreachable?: boolean;
    }
  | { readonly kind: 'mismatch'; readonly reason: string };

export interface RetryPolicy {
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export interface MirrorDownload {
  readonly transport: HttpTransport;
  readonly policy: RetryPolicy;
  readonly url: URL;
  readonly display: string;
  readonly partial: string;
  readonly expectedSize?: number;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  readonly onSize?: (total: number) => void;
  readonly onBytes?: (bytesOnDisk: number) => void;
}

/**
 * Downloads `url` into `partial`, making up to `retries` further attempts after transient
 * failures (5xx, 408, 429, broken or silent connections, short bodies), each resuming where
 * the file ends. A missing file, a permanent refusal or a size mismatch ends it at once.
 */
export async function downloadFromMirror(download: MirrorDownload): Promise<MirrorOutcome> {
  const { policy } = download;
  const state: ResumeState = {};
  let lastReason = 'no attempt made';
  let retryAfterMs: number | undefined;
  let unreachable = true;
  for (let attempt = 0; attempt <= policy.retries; attempt += 1) {
    if (attempt > 0) {
      const delay = backoffDelay(
        attempt,
        { baseMs: policy.backoffMs, maxMs: policy.maxBackoffMs },
        retryAfterMs,
      );
      await sleep(delay, download.signal);
    }
    const outcome = await attemptDownload({
      transport: download.transport,
      url: download.url,
      partial: download.partial,
      state,
      expectedSize: download.expectedSize,
      signal: download.signal,
      onSize: download.onSize,
      onBytes: download.onBytes,
    });
    switch (outcome.kind) {
      case 'complete':
      case 'not-found':
      case 'mismatch':
        return outcome;
      case 'permanent':
        return {
          kind: 'failed',
          reason: outcome.reason,
          ...(unreachable && outcome.unreachable === true ? { unreachable: true } : {}),
        };
      case 'transient':
        lastReason = outcome.reason;
        unreachable &&= outcome.unreachable === true;
        retryAfterMs = outcome.retryAfterMs;
        download.reporter?.debug(
          `${download.display}: ${outcome.reason}` +
            (attempt < policy.retries ? ` (attempt ${attempt + 1}, retrying)` : ''),
        );
        break;
    }
  }
  const attempts = policy.retries + 1;
  return {
    kind: 'failed',
    reason: `${lastReason} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
    ...(unreachable ? { unreachable: true } : {}),
  };
}
