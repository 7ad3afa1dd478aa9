/** The fetcher: a cache, a transport and a concurrency limit shared by every call. */

import { setMaxListeners } from 'node:events';
import { InternalError } from '../core/errors.ts';
import { createContentCache } from './cache.ts';
import { fetchOne } from './fetch-one.ts';
import type { FetchContext } from './fetch-one.ts';
import { createTransport } from './http-request.ts';
import { createIsoImages } from './iso-source.ts';
import { createLimiter } from './limiter.ts';
import { createBatchProgress } from './progress.ts';
import { resolveSettings } from './settings.ts';
import type { FetchRequest, FetchResult, Fetcher, FetcherOptions } from './types.ts';

/** Stops the rest of a batch once one of its requests has failed. */
class BatchStopped extends Error {
  override name = 'BatchStopped';
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const settings = resolveSettings(options);
  const limiter = createLimiter(settings.concurrency);
  const context: FetchContext = {
    settings,
    cache: createContentCache(settings.cacheDir, options.reporter),
    transport: createTransport(settings),
    images: createIsoImages(),
    reporter: options.reporter,
  };
  const sinks = { reporter: options.reporter, onProgress: options.onProgress };

  async function runBatch(
    requests: readonly FetchRequest[],
    describe: (filesDone: number, filesTotal: number) => string,
    outer: AbortSignal | undefined,
  ): Promise<FetchResult[]> {
    const batch = createBatchProgress(requests.length, describe, sinks);
    const jobs = requests.map((request) => ({ request, item: batch.item(request.expected?.size) }));
    batch.start();
    const stop = new AbortController();
    // Every job waiting for a download slot listens on the batch's signal until it gets one.
    setMaxListeners(requests.length + 10, stop.signal);
    const onOuterAbort = (): void => stop.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    if (outer?.aborted === true) {
      onOuterAbort();
    }
    let failure: { readonly error: unknown } | undefined;
    try {
      const settled = await Promise.allSettled(
        jobs.map(async ({ request, item }) => {
          try {
            return await limiter.run(
              () => fetchOne(context, request, item, stop.signal),
              stop.signal,
            );
          } catch (err) {
            if (!stop.signal.aborted) {
              failure = { error: err };
              stop.abort(new BatchStopped('another file of the batch failed'));
            }
            throw err;
          }
        }),
      );
      if (failure !== undefined) {
        throw failure.error;
      }
      return settled.map((outcome) => {
        if (outcome.status === 'rejected') {
          throw outcome.reason;
        }
        return outcome.value;
      });
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  return {
    async fetch(request, callOptions) {
      const label = request.label ?? request.path;
      const [result] = await runBatch([request], () => label, callOptions?.signal);
      if (result === undefined) {
        throw new InternalError('a batch of one request returned no result');
      }
      return result;
    },

    async discard(result) {
      if (result.file === context.cache.contentPath(result.digest.hex)) {
        await context.cache.discard(result.digest.hex, result.url);
      }
    },

    fetchAll(requests, callOptions) {
      return runBatch(requests, (done, total) => `${done}/${total} files`, callOptions?.signal);
    },
  };
}
