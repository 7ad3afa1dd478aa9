import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../core/run.ts';
import { measureRpmExtraction } from '../rpm/index.ts';
import { loadRpmRepository, localRepoSource, parsePrimary } from '../rpm-repo/index.ts';
import { formatEvr, loadRpmFilelists, resolveRpm } from '../rpm-resolve/index.ts';
import { centosBaseOsDir } from '../rpm-resolve/test-support/centos.ts';
import { dnfInstallPlan } from '../rpm-resolve/test-support/dnf-reference.ts';
import { decompressStream } from '../compress/index.ts';
import { WORKSPACE_ROOT, fixture } from '../test-support/fixtures.ts';
import { formatBench, runBench } from './harness.ts';
import type { BenchResult } from './harness.ts';

/** Package sets resolved from CentOS Stream 9 BaseOS, by us and by dnf. */
const SETS: readonly (readonly string[])[] = [
  ['bash'],
  ['systemd'],
  ['coreutils', 'util-linux', 'kmod'],
  ['@core'],
  ['kernel-core'],
  ['dnf'],
];

function largestRpm(): string {
  const dirs = [
    join(WORKSPACE_ROOT, 'dist', 'fixtures', 'rpm-repo', 'Packages'),
    fixture('rpm', 'distro'),
  ];
  const files = dirs
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.rpm'))
        .map((name) => join(dir, name)),
    );
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) throw new Error('no RPM found for the extraction benchmark');
  return largest;
}

/**
 * RPM benchmarks against references run in the same process: parsing the real CentOS Stream 9
 * BaseOS primary, resolving package sets against dnf on the same metadata, and stream
 * extraction against rpm2archive.
 */
export async function runRpmBenchmarks(): Promise<string> {
  const runner = createRunner();
  const dir = centosBaseOsDir();
  const primary = readdirSync(join(dir, 'repodata')).find((name) =>
    name.endsWith('primary.xml.gz'),
  );
  if (!primary) throw new Error(`no primary.xml.gz in ${dir}/repodata`);
  const primaryFile = join(dir, 'repodata', primary);
  const parseOnly = async () => {
    let count = 0;
    for await (const _pkg of parsePrimary(
      decompressStream(createReadStream(primaryFile), 'gzip'),
      'c9s',
    ))
      count++;
    return count;
  };
  const results: BenchResult[] = [
    await runBench({
      name: `parse CentOS Stream 9 BaseOS primary (${await parseOnly()} packages)`,
      ours: parseOnly,
      runs: 5,
    }),
  ];

  const load = () =>
    loadRpmRepository(localRepoSource(dir), {
      name: 'c9s',
      priority: 99,
      requireSignature: false,
      arch: 'x86_64',
    });
  results.push(
    await runBench({
      name: 'load CentOS Stream 9 BaseOS metadata (verified)',
      ours: load,
      runs: 3,
    }),
  );
  const repository = await load();
  // dnf's warm cache holds the file lists too: load them once, as it does.
  const filelists = await loadRpmFilelists([repository]);
  const dnfCache = await mkdtemp(join(tmpdir(), 'bench-dnf-cache-'));
  const dnf = (request: readonly string[]) =>
    dnfInstallPlan(runner, dir, request, { arch: 'x86_64', releasever: '9', cacheDir: dnfCache });
  const notes: string[] = [];
  for (const request of SETS) {
    const ours = (await resolveRpm([repository], request, { arch: 'x86_64' })).packages
      .map((pkg) => `${pkg.name}-${formatEvr(pkg.evr)}.${pkg.arch}`)
      .sort();
    const plan = await dnf(request);
    const theirs = plan.ok
      ? plan.packages.map((pkg) => `${pkg.name}-${pkg.evr}.${pkg.arch}`).sort()
      : [];
    const same = JSON.stringify(ours) === JSON.stringify(theirs);
    notes.push(
      `${request.join(' ')}: ${ours.length} packages, same as dnf: ${same ? 'yes' : 'NO'}`,
    );
    results.push(
      await runBench({
        name: `resolve ${request.join(' ')} (metadata loaded)`,
        ours: () => resolveRpm([repository], request, { arch: 'x86_64', filelists }),
        baseline: { name: 'dnf --assumeno install, warm cache', run: () => dnf(request) },
        target: { maxRatio: 0.2 },
        runs: 2,
      }),
    );
  }
  await rm(dnfCache, { recursive: true, force: true });

  const rpm = largestRpm();
  const bytes = new Uint8Array(await readFile(rpm));
  const extracted = await measureRpmExtraction(rpm);
  results.push(
    await runBench({
      name: `stream-extract ${rpm.split('/').at(-1)} (${(bytes.length / 1048576).toFixed(1)} MiB, ${extracted.entries} entries)`,
      ours: () => measureRpmExtraction(rpm),
      baseline: {
        name: 'rpm2archive -n',
        run: () => runner.run(['rpm2archive', '-n', '-'], { input: bytes, stdout: 'ignore' }),
      },
      target: { maxRatio: 1 },
      runs: 5,
    }),
  );
  return `${formatBench('RPM backend', results)}${notes.join('\n')}\n`;
}
