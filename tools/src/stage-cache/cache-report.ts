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

/** Outcomes of the same artifact and kind (the entries of each package) as one line each. */
function grouped(
  outcomes: readonly ArtifactOutcome[],
): (ArtifactOutcome & { readonly count: number })[] {
  const groups = new Map<string, ArtifactOutcome & { count: number }>();
  for (const item of outcomes) {
    const id = `${item.artifact}\0${item.outcome}`;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { ...item, count: 1 });
    else groups.set(id, { ...group, bytes: group.bytes + item.bytes, count: group.count + 1 });
  }
  return [...groups.values()];
}

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
  for (const { artifact, outcome, bytes, count } of grouped(report.artifacts)) {
    const how = {
      hit: 'reused',
      miss: 'made',
      rejected: 'made again (the kept one was damaged)',
    }[outcome];
    lines.push(`  ${artifact}: ${count > 1 ? `${count} ` : ''}${how}, ${mib(bytes)}`);
  }
  lines.push(
    `  kept: ${trimmed.entries} entries, ${mib(trimmed.bytes)}` +
      (trimmed.removed > 0
        ? `; removed the ${trimmed.removed} least recently used (${mib(trimmed.removedBytes)})`
        : ''),
  );
  return lines;
}
