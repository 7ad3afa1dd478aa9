import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { BuildReport } from '@levitate/tools';
import { BUILDERS, BUILDER_BINS } from '../workspace.ts';
import type { BuilderName } from '../workspace.ts';

/**
 * Builds a variant's ISO from the offline fixture repository with its CLI, as a user runs it,
 * into `out`; `extra` are further options (`--os-version 0.1.1`). Never throws: the caller
 * checks the exit code and shows stderr.
 */
export function buildFromFixture(
  bin: BuilderName,
  options: { out: string; cache: string; extra?: readonly string[] },
): Promise<{ exitCode: number | undefined; stderr: string }> {
  const args = [
    BUILDERS[bin].buildVerb,
    '--fixture',
    ...(options.extra ?? []),
    '--out',
    options.out,
    '--cache',
    options.cache,
    '--log-format',
    'plain',
  ];
  return execa(process.execPath, [BUILDER_BINS[bin], ...args], { reject: false }).then(
    (result) => ({ exitCode: result.exitCode, stderr: String(result.stderr) }),
  );
}

/**
 * What a fixture build's report must say about its repositories: every one came from the
 * fixture, its index was read there, and every package was read there or from the cache.
 */
export async function fixtureProvenance(reportFile: string): Promise<string[]> {
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as BuildReport;
  const problems: string[] = [];
  const counted = report.repositories.reduce(
    (sum, repository) =>
      sum + Object.values(repository.packages).reduce((total, count) => total + count, 0),
    0,
  );
  for (const repository of report.repositories) {
    if (repository.origin !== 'fixture') {
      problems.push(`${repository.name}: origin ${repository.origin}`);
    }
    if (repository.index?.from !== 'fixture') {
      problems.push(`${repository.name}: index from ${repository.index?.from ?? 'nowhere'}`);
    }
    const elsewhere = Object.keys(repository.packages).filter(
      (kind) => kind !== 'fixture' && kind !== 'cache',
    );
    if (elsewhere.length > 0) problems.push(`${repository.name}: packages from ${elsewhere}`);
  }
  if (counted !== report.packages.length) {
    problems.push(`${counted} package files recorded for ${report.packages.length} packages`);
  }
  return problems;
}
