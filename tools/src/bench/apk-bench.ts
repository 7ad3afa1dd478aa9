import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApkResolver, parseApkIndexText } from '../apk-resolve/index.ts';
import { createAlpineRoot } from '../apk-resolve/test-support/alpine-root.ts';
import { INSTALLABLE_SETS } from '../apk-resolve/test-support/alpine-sets.ts';
import { loadApkKeys, measureApkExtraction, readApkIndex } from '../apk/index.ts';
import { createRunner } from '../core/run.ts';
import { WORKSPACE_ROOT, fixture } from '../test-support/fixtures.ts';
import { formatBench, runBench } from './harness.ts';
import type { BenchResult } from './harness.ts';

const INDEX = fixture('apkindex', 'alpine-316', 'APKINDEX.tar.gz');
const SOURCE = { repository: 'alpine-316-main', file: INDEX };

/** The largest APK at hand: the offline fixture repository's kernel when built, else the biggest fixture. */
function largestApk(): string {
  const candidates = [
    join(WORKSPACE_ROOT, 'dist', 'fixtures', 'apk-repo', 'repo', 'x86_64'),
    fixture('apk', 'synthetic', 'apko'),
    fixture('apk', 'synthetic', 'go-apk'),
  ];
  const files = candidates
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.apk'))
        .map((name) => join(dir, name)),
    );
  return (
    files.sort((a, b) => statSync(b).size - statSync(a).size)[0] ??
    fixture('apk', 'synthetic', 'apko', 'tzdata-2023c-r0.apk')
  );
}

/**
 * APK benchmarks, each against a reference run in the same process: index parsing, resolution
 * against Alpine's own apk (`apk add --simulate` in the minirootfs), and stream extraction
 * against bsdtar.
 */
export async function runApkBenchmarks(): Promise<string> {
  const keys = await loadApkKeys(fixture('keys', 'alpine'));
  const archive = new Uint8Array(await readFile(INDEX));
  const parse = async () =>
    parseApkIndexText(
      (await readApkIndex(archive, { keys, requireSignature: true, file: INDEX })).text,
      SOURCE,
    );
  const records = await parse();
  const results: BenchResult[] = [
    await runBench({
      name: `verify + parse Alpine 3.16 APKINDEX (${records.length} packages)`,
      ours: parse,
      target: { maxMs: 100 },
      runs: 9,
    }),
  ];

  const root = await createAlpineRoot();
  const notes: string[] = [];
  try {
    const resolver = createApkResolver([{ repository: SOURCE.repository, records }], {
      arch: 'x86_64',
    });
    for (const request of INSTALLABLE_SETS) {
      const ours = resolver
        .resolve(request)
        .packages.map((pkg) => `${pkg.name}-${pkg.version}`)
        .sort();
      const theirs = (await root.apkAdd(request)).installed
        .map((pkg) => `${pkg.name}-${pkg.version}`)
        .sort();
      notes.push(
        `${request.join(' ')}: ${ours.length} packages, same as apk: ${JSON.stringify(ours) === JSON.stringify(theirs) ? 'yes' : 'NO'}`,
      );
      results.push(
        await runBench({
          name: `resolve ${request.join(' ')}`,
          ours: () =>
            createApkResolver([{ repository: SOURCE.repository, records }], {
              arch: 'x86_64',
            }).resolve(request),
          baseline: { name: 'apk add --simulate', run: () => root.apkAdd(request) },
          runs: 3,
        }),
      );
    }
  } finally {
    await root.remove();
  }

  const apk = largestApk();
  const runner = createRunner();
  const extracted = await measureApkExtraction(apk);
  results.push(
    await runBench({
      name: `stream-extract ${apk.split('/').at(-1)} (${(statSync(apk).size / 1048576).toFixed(1)} MiB, ${extracted.entries} entries)`,
      ours: () => measureApkExtraction(apk),
      baseline: {
        name: 'bsdtar -xOf',
        run: () => runner.run(['bsdtar', '-xOf', apk], { stdout: 'ignore' }),
      },
      target: { maxRatio: 1 },
      runs: 5,
    }),
  );
  return `${formatBench('APK backend', results)}${notes.join('\n')}\n`;
}
