import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../core/run.ts';
import { centosBaseOsDir } from '../rpm-resolve/test-support/centos.ts';
import { dnfInstallArgv, parseDnfTransaction } from '../rpm-resolve/test-support/dnf-reference.ts';
import type { BenchSection, ProcessBenchResult } from './bench-result.ts';
import { formatProcessBench } from './bench-result.ts';
import { ourCommand } from './our-commands.ts';
import type { ProcessBench } from './process-bench.ts';
import type { BenchCommand } from './process-sample.ts';
import { startupResults } from './startup-bench.ts';

/** Package sets resolved from CentOS Stream 9 BaseOS, by `leviso resolve` and by dnf. */
const WARM_SETS: readonly (readonly string[])[] = [['bash', 'systemd'], ['@core'], ['kernel-core']];
const COLD_SET: readonly string[] = ['bash', 'systemd'];

function dnfCommand(
  repoDir: string,
  work: string,
  request: readonly string[],
  cold: boolean,
): BenchCommand {
  return {
    label: `dnf install --assumeno, ${cold ? 'empty' : 'warm'} cache`,
    argv: dnfInstallArgv(repoDir, work, request, { releasever: '9', arch: 'x86_64' }),
    allowExitCodes: [1],
    startup: ['dnf', '--version'],
    prepare: async () => {
      if (cold) await rm(join(work, 'cache'), { recursive: true, force: true });
      await mkdir(join(work, 'log'), { recursive: true });
    },
  };
}

function levisoResolve(repoDir: string, cache: string, request: readonly string[], cold: boolean) {
  return ourCommand(
    'leviso',
    ['resolve', '--repo', repoDir, '--packages', request.join(','), '--cache', cache, '--json'],
    {
      label: `leviso resolve, ${cold ? 'empty' : 'warm'} cache`,
      ...(cold ? { prepare: () => rm(cache, { recursive: true, force: true }) } : {}),
    },
  );
}

/** Whether `leviso resolve` and dnf chose the same packages, from one run of each. */
async function samePlan(
  runner: Runner,
  ours: BenchCommand,
  dnf: BenchCommand,
  request: readonly string[],
): Promise<string> {
  await dnf.prepare?.();
  const [resolved, planned] = await Promise.all([
    runner.run(ours.argv, { cwd: ours.cwd ?? '.' }),
    runner.run(dnf.argv, { allowExitCodes: [1] }),
  ]);
  const mine = (
    JSON.parse(resolved.stdout) as { packages: { name: string; version: string }[] }
  ).packages
    .map((pkg) => `${pkg.name}-${pkg.version}`)
    .sort();
  const theirs = parseDnfTransaction(planned.stdout)
    .map((pkg) => `${pkg.name}-${pkg.evr}`)
    .sort();
  const same = JSON.stringify(mine) === JSON.stringify(theirs);
  return `${request.join(',')}: leviso ${mine.length} packages, dnf ${theirs.length}, same set: ${same ? 'yes' : 'NO'}`;
}

/**
 * `leviso --help`, `leviso spec` against `node -e 0`, and `leviso resolve` on the real CentOS
 * Stream 9 BaseOS metadata against dnf on the same repository: with warm caches on both sides
 * (the parsed-metadata cache; dnf's solv files), and with empty ones.
 */
export async function runRpmCommandBenchmarks(bench: ProcessBench): Promise<BenchSection> {
  const results: ProcessBenchResult[] = await startupResults(bench, 'leviso');
  const repoDir = centosBaseOsDir();
  const work = await mkdtemp(join(tmpdir(), 'rpm-bench-'));
  const notes: string[] = [];
  try {
    const cache = join(work, 'leviso-cache');
    for (const request of WARM_SETS) {
      const ours = levisoResolve(repoDir, cache, request, false);
      const dnf = dnfCommand(repoDir, join(work, 'dnf'), request, false);
      // Also the warm-up: it leaves both caches warm.
      notes.push(await samePlan(bench.runner, ours, dnf, request));
      results.push(
        await bench.compare({
          name: `resolve ${request.join(',')} (warm)`,
          ours,
          reference: dnf,
          target: { maxRatio: 0.5 },
          warmups: 0,
        }),
      );
    }
    const coldCache = join(work, 'leviso-cold');
    results.push(
      await bench.compare({
        name: `resolve ${COLD_SET.join(',')} (cold)`,
        ours: levisoResolve(repoDir, coldCache, COLD_SET, true),
        reference: dnfCommand(repoDir, join(work, 'dnf-cold'), COLD_SET, true),
        target: { maxRatio: 2 },
        warmups: 0,
      }),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return formatProcessBench(
    `LevitateOS commands: whole processes against node and dnf (CentOS Stream 9 BaseOS, ${repoDir})`,
    results,
    notes,
  );
}
