import type { BlockCacheStats } from '@levitate/squashfs';
import type { TrimOutcome } from './eviction.ts';
import type { ArtifactOutcome } from './stage-cache.ts';

/** What the stage cache did for one build, for its report. */
export interface StageCacheReport {
  readonly dir: string;
  readonly maxBytes: number;
  /** The squashfs writer's compressed blocks (data, fragments, metadata). */
  readonly blocks?: BlockCacheStats;
  readonly artifacts: readonly ArtifactOutcome[];
  /** The folder after the build, trimmed to its bound. */
  readonly trimmed: TrimOutcome;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Lines for the readable report and the log. */
export function describeStageCache(report: StageCacheReport): string[] {
  const { blocks, trimmed } = report;
  const lines = [`stage cache ${report.dir} (at most ${mib(report.maxBytes)})`];
  if (blocks !== undefined) {
    lines.push(
      `  squashfs blocks: ${blocks.hits} reused (${mib(blocks.reusedBytes)}), ${blocks.misses} compressed (${mib(blocks.compressedBytes)})` +
        (blocks.rejected > 0 ? `, ${blocks.rejected} damaged entries compressed again` : '') +
        (blocks.storeFailures > 0 ? `, ${blocks.storeFailures} could not be kept` : ''),
    );
  }
  for (const { artifact, outcome, bytes } of report.artifacts) {
    const how = {
      hit: 'reused',
      miss: 'made',
      rejected: 'made again (the kept one was damaged)',
    }[outcome];
    lines.push(`  ${artifact}: ${how}, ${mib(bytes)}`);
  }
  lines.push(
    `  kept: ${trimmed.entries} entries, ${mib(trimmed.bytes)}` +
      (trimmed.removed > 0
        ? `; removed the ${trimmed.removed} least recently used (${mib(trimmed.removedBytes)})`
        : ''),
  );
  return lines;
}
