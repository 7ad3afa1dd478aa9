import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALPINE_316_CHROOT, ALPINE_316_INDEX } from '../apk-resolve/test-support/index-fixture.ts';
import { createAlpineChroot } from '../test-support/alpine-chroot.ts';
import { simulateAdd, simulateAddArgv } from '../test-support/alpine-apk.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import { fixture } from '../test-support/fixtures.ts';
import type { BenchSection, ProcessBenchResult } from './bench-result.ts';
import { formatProcessBench } from './bench-result.ts';
import { ourCommand } from './our-commands.ts';
import type { ProcessBench } from './process-bench.ts';
import type { BenchCommand } from './process-sample.ts';
import { startupResults } from './startup-bench.ts';

const REQUEST: readonly string[] = ['alpine-base', 'openrc', 'linux-lts'];

/** Alpine's own apk (2.14) in the minirootfs, simulating installs from the 3.16 index. */
function apkSimulate(chroot: AlpineChroot, request: readonly string[]): BenchCommand {
  return {
    label: 'apk add --simulate (chroot)',
    argv: simulateAddArgv(chroot, request),
    startup: ['chroot', chroot.root, '/sbin/apk', '--version'],
  };
}

/**
 * `acorn --help`, `acorn spec` against `node -e 0`, and a warm `acorn resolve` on the real
 * Alpine 3.16 main index against `apk add --simulate` on the same index (apk keeps no cache of
 * a local repository: it reads and checks the index on every run); also `acorn resolve` with an
 * empty cache, for information.
 */
export async function runApkCommandBenchmarks(bench: ProcessBench): Promise<BenchSection> {
  const results: ProcessBenchResult[] = await startupResults(bench, 'acorn');
  const work = await mkdtemp(join(tmpdir(), 'apk-bench-'));
  const chroot = await createAlpineChroot(ALPINE_316_CHROOT);
  const notes: string[] = [];
  try {
    const repo = join(work, 'repo');
    await mkdir(join(repo, 'x86_64'), { recursive: true });
    await copyFile(ALPINE_316_INDEX, join(repo, 'x86_64', 'APKINDEX.tar.gz'));
    const resolve = (cache: string, cold: boolean) =>
      ourCommand(
        'acorn',
        [
          'resolve',
          '--repo',
          repo,
          '--keys',
          fixture('keys', 'alpine'),
          '--packages',
          REQUEST.join(','),
          '--cache',
          cache,
          '--json',
        ],
        {
          label: `acorn resolve, ${cold ? 'empty' : 'warm'} cache`,
          ...(cold ? { prepare: () => rm(cache, { recursive: true, force: true }) } : {}),
        },
      );
    const warm = resolve(join(work, 'cache'), false);
    // Also the warm-up of the parsed-index cache.
    const resolved = await bench.runner.run(warm.argv, { cwd: warm.cwd ?? '.' });
    const mine = (
      JSON.parse(resolved.stdout) as { packages: { name: string; version: string }[] }
    ).packages
      .map((pkg) => `${pkg.name}-${pkg.version}`)
      .sort();
    const theirs = (await simulateAdd(chroot, REQUEST)).installed
      .map((pkg) => `${pkg.name}-${pkg.version}`)
      .sort();
    notes.push(
      `${REQUEST.join(',')}: acorn ${mine.length} packages, apk ${theirs.length}, same set: ${JSON.stringify(mine) === JSON.stringify(theirs) ? 'yes' : 'NO'}`,
    );
    const apk = apkSimulate(chroot, REQUEST);
    results.push(
      await bench.compare({
        name: `resolve ${REQUEST.join(',')} (warm)`,
        ours: warm,
        reference: apk,
        target: { maxRatio: 1 },
        warmups: 0,
      }),
      await bench.compare({
        name: `resolve ${REQUEST.join(',')} (cold)`,
        ours: resolve(join(work, 'cold-cache'), true),
        reference: apk,
        warmups: 0,
      }),
    );
  } finally {
    await chroot.dispose();
    await rm(work, { recursive: true, force: true });
  }
  return formatProcessBench(
    'AcornOS commands: whole processes against node and Alpine apk 2.14 (Alpine 3.16 main index)',
    results,
    notes,
  );
}
