/** Waiting between attempts: exponential backoff with jitter, and `Retry-After`. */

/**
 * The delay before retry number `retry` (1 for the first retry): `baseMs · 2^(retry-1)` capped
 * at `maxMs`, then scaled by a random factor in [0.5, 1) so that many clients do not retry in
 * step. A server's `Retry-After` is honoured up to `maxMs`.
 */
export function backoffDelay(
  retry: number,
  policy: { readonly baseMs: number; readonly maxMs: number },
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  if (retryAfterMs === undefined) {
    return jittered;
  }
  return Math.min(policy.maxMs, Math.max(retryAfterMs, jittered));
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if it is valid. */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
