import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { runIsoBuild } from '../cli/iso-command.ts';
import { createRunner } from '../core/run.ts';
import { createReporter } from '../core/step.ts';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import { formatBench } from './harness.ts';
import type { BenchResult } from './harness.ts';
import type { IsoBenchTarget } from './iso-targets.ts';

const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * A variant's ISO build with a warm cache, against the same work done by the classic tools:
 * bare mksquashfs + xorriso on the same tree (already on disk), and the shell pipeline that
 * first extracts every package to a folder. Also the no-op rebuild through nx, and peak memory.
 */
export async function runIsoBenchmarks(target: IsoBenchTarget): Promise<string> {
  const runner = createRunner();
  const spec = await loadVariant(target.variant, {
    repositories: target.repositories.map((url) => ({ url, keysDir: target.keysDir })),
  });
  const work = await mkdtemp(join(tmpdir(), 'iso-bench-'));
  try {
    const flags = {
      verify: true,
      compressor: 'zstd' as const,
      cache: join(work, 'cache'),
      out: join(work, 'dist'),
    };
    const report = await runIsoBuild(spec, flags, quiet, 'fixture');
    const ours = await timed(() => runIsoBuild(spec, flags, quiet, 'fixture'));
    const iso = join(flags.out, artifactName(spec, { kind: 'iso' }));

    // The same tree and boot files on disk, as the classic tools need them.
    const tree = join(work, 'tree');
    const media = join(work, 'media');
    await mkdir(media, { recursive: true });
    await runner.run([
      'xorriso',
      '-osirrox',
      'on',
      '-indev',
      iso,
      '-extract',
      '/boot',
      join(media, 'boot'),
      '-extract',
      '/LiveOS/squashfs.img',
      join(work, 'ours.squashfs'),
    ]);
    await runner.run([
      'unsquashfs',
      '-quiet',
      '-no-progress',
      '-d',
      tree,
      join(work, 'ours.squashfs'),
    ]);
    const classicIso = (source: string) => async () => {
      const squashfs = join(media, 'LiveOS', 'squashfs.img');
      await mkdir(join(media, 'LiveOS'), { recursive: true });
      await rm(squashfs, { force: true });
      await runner.run([
        'mksquashfs',
        source,
        squashfs,
        '-comp',
        'zstd',
        '-Xcompression-level',
        '15',
        '-noappend',
        '-quiet',
        '-no-progress',
      ]);
      await runner.run([
        'xorriso',
        '-no_rc',
        '-as',
        'mkisofs',
        '-iso-level',
        '3',
        '-R',
        '-J',
        '-V',
        spec.boot.live.volumeLabel,
        '-o',
        join(work, 'classic.iso'),
        media,
      ]);
    };
    const bare = await timed(classicIso(tree));

    const extracted = join(work, 'extracted');
    const wanted = await target.packageFiles(report.packages, spec.arch);
    const pipeline = await timed(async () => {
      await rm(extracted, { recursive: true, force: true });
      await mkdir(extracted);
      for (const file of wanted) {
        await runner.run(target.extract(file, extracted), { allowExitCodes: [2] });
      }
      await classicIso(extracted)();
    });

    const nxIso = () => runner.run(['npx', 'nx', 'run', target.nxTarget], { cwd: WORKSPACE_ROOT });
    // The first run may rebuild (anything may have changed); the second has nothing to do.
    await nxIso();
    const noop = await timed(nxIso);
    const results: BenchResult[] = [
      {
        name: `warm-cache ${target.title} ISO build`,
        oursMs: ours,
        baseline: {
          name: 'bare mksquashfs + xorriso on the same tree',
          ms: bare,
          ratio: ours / bare,
        },
        target: 'ratio <= 1.3',
        met: ours / bare <= 1.3,
      },
      {
        name: `warm-cache ${target.title} ISO build`,
        oursMs: ours,
        baseline: {
          name: `extract ${wanted.length} packages with ${target.extractWith}, then mksquashfs + xorriso`,
          ms: pipeline,
          ratio: ours / pipeline,
        },
        target: 'ratio < 1',
        met: ours < pipeline,
      },
      {
        name: `no-op rebuild (nx run ${target.nxTarget}, cache hit)`,
        oursMs: noop,
        target: '< 2000 ms',
        met: noop < 2000,
      },
    ];
    return formatBench(`${target.title} ISO build`, results);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
