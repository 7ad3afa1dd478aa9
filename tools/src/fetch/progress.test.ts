import { describe, expect, it } from 'vitest';
import { createBatchProgress } from './progress.ts';
import type { FetchProgress } from './types.ts';

describe('batch progress', () => {
  it('adds sizes as they become known, never goes backwards, and throttles', () => {
    const events: FetchProgress[] = [];
    let now = 0;
    const batch = createBatchProgress(
      2,
      (done, total) => `${done}/${total}`,
      { onProgress: (event) => events.push(event) },
      { intervalMs: 100, clock: () => now },
    );
    const known = batch.item(1000);
    const unknown = batch.item(undefined);
    batch.start();
    known.advanced(600);
    now = 150;
    known.advanced(400);
    known.advanced(700);
    now = 300;
    unknown.sized(500);
    known.finished(1000);
    unknown.advanced(200);
    now = 450;
    unknown.finished(500);
    expect(events).toEqual([
      { bytesDone: 0, bytesTotal: 1000, filesDone: 0, filesTotal: 2 },
      { bytesDone: 700, bytesTotal: 1000, filesDone: 0, filesTotal: 2 },
      { bytesDone: 700, bytesTotal: 1500, filesDone: 0, filesTotal: 2 },
      { bytesDone: 1000, bytesTotal: 1500, filesDone: 1, filesTotal: 2 },
      { bytesDone: 1500, bytesTotal: 1500, filesDone: 2, filesTotal: 2 },
    ]);
  });
});
