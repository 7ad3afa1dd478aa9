/** Byte and file counts across one batch of fetches, reported to a reporter or a callback. */

import type { Reporter } from '../core/step.ts';
import type { FetchProgress } from './types.ts';

/** One file's share of a batch. */
export interface ProgressItem {
  /** The file's length became known (from the server, when the metadata did not say). */
  sized(total: number): void;
  /** `bytes` of the file are on disk; never moves the batch backwards. */
  advanced(bytes: number): void;
  finished(size: number): void;
}

export interface BatchProgress {
  item(expectedSize: number | undefined): ProgressItem;
  /** Reports the starting point, once every item has been added. */
  start(): void;
}

export interface ProgressSinks {
  readonly reporter?: Reporter;
  readonly onProgress?: (progress: FetchProgress) => void;
}

export function createBatchProgress(
  files: number,
  describe: (filesDone: number, filesTotal: number) => string,
  sinks: ProgressSinks,
  options: { readonly intervalMs?: number; readonly clock?: () => number } = {},
): BatchProgress {
  const intervalMs = options.intervalMs ?? 100;
  const clock = options.clock ?? Date.now;
  let bytesDone = 0;
  let bytesTotal = 0;
  let filesDone = 0;
  let lastEmit = Number.NEGATIVE_INFINITY;

  function emit(force: boolean): void {
    if (sinks.reporter === undefined && sinks.onProgress === undefined) {
      return;
    }
    const now = clock();
    if (!force && now - lastEmit < intervalMs) {
      return;
    }
    lastEmit = now;
    const total = Math.max(bytesTotal, bytesDone);
    sinks.onProgress?.({ bytesDone, bytesTotal: total, filesDone, filesTotal: files });
    sinks.reporter?.progress(bytesDone, total, describe(filesDone, files));
  }

  return {
    start() {
      emit(true);
    },

    item(expectedSize) {
      let size = expectedSize;
      let shown = 0;
      let finished = false;
      if (size !== undefined) {
        bytesTotal += size;
      }
      const item: ProgressItem = {
        sized(total) {
          if (size === undefined && !finished) {
            size = total;
            bytesTotal += total;
            emit(false);
          }
        },
        advanced(bytes) {
          const capped = size === undefined ? bytes : Math.min(bytes, size);
          if (finished || capped <= shown) {
            return;
          }
          bytesDone += capped - shown;
          shown = capped;
          emit(false);
        },
        finished(final) {
          if (finished) {
            return;
          }
          finished = true;
          bytesTotal += final - (size ?? 0);
          size = final;
          bytesDone += final - shown;
          shown = final;
          filesDone += 1;
          emit(true);
        },
      };
      return item;
    },
  };
}
