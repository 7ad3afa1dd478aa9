import { performance } from 'node:perf_hooks';
import { inStage } from '../core/errors.ts';
import type { Reporter } from '../core/step.ts';
import type { StageRecord } from './report.ts';

/** Runs the build's stages in order, each under its own progress step, and keeps their timings. */
export class StageClock {
  readonly records: StageRecord[] = [];

  constructor(private readonly reporter: Reporter) {}

  async run<T>(
    stage: string,
    work: (reporter: Reporter) => Promise<T>,
    sizeOf?: (result: T) => number | undefined,
  ): Promise<T> {
    const start = performance.now();
    const result = await this.reporter.step(stage, (reporter) =>
      inStage(stage, () => work(reporter)),
    );
    const bytes = sizeOf?.(result);
    this.records.push({
      stage,
      ms: Math.round(performance.now() - start),
      ...(bytes === undefined ? {} : { bytes }),
    });
    return result;
  }
}
