import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { VariantSpec } from '@levitate/distro-spec';
import { BACKENDS } from '../backend/index.ts';
import { createRunner } from '../core/run.ts';
import type { Reporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { buildLiveIso } from '../pipeline/build.ts';
import { sourceDateEpochFromEnv } from '../pipeline/context.ts';
import type { SquashfsCompression } from '../pipeline/context.ts';
import type { BuildReport } from '../pipeline/report.ts';
import { cacheDirFrom } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { packageContext } from './package-context.ts';

export interface IsoFlags extends RepositoryAccessOptions {
  out?: string;
  compressor: SquashfsCompression;
  keys?: string;
  debug?: boolean;
}

/** Builds the variant's live ISO into `--out` (default `dist/<id>` under the working folder). */
export async function runIsoBuild(
  spec: VariantSpec,
  flags: IsoFlags,
  reporter: Reporter,
): Promise<BuildReport> {
  const workDir = await mkdtemp(join(tmpdir(), `${spec.id}-build-`));
  const sourceDateEpoch = sourceDateEpochFromEnv();
  try {
    return await buildLiveIso({
      spec,
      reporter,
      packages: packageContext(spec, flags, reporter),
      runner: createRunner({
        debug: flags.debug === true,
        ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
      }),
      workDir,
      outDir: resolve(flags.out ?? join('dist', spec.id)),
      contentDir: join(cacheDirFrom(flags), 'content'),
      compression: flags.compressor,
      sourceDateEpoch,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Whether the first repository of the variant answers (its index can be fetched). */
export async function mirrorsReachable(
  spec: VariantSpec,
  flags: RepositoryAccessOptions,
): Promise<boolean> {
  const first = spec.repositories[0];
  if (!first || flags.offline) return false;
  const fetcher = createFetcher({
    cacheDir: join(cacheDirFrom(flags), 'downloads'),
    retries: 0,
    timeoutMs: 5000,
    stallMs: 5000,
  });
  try {
    await fetcher.fetch({
      mirrors: [first.url],
      path: BACKENDS[spec.family].indexPath(spec.arch),
      label: `${first.name} index`,
    });
    return true;
  } catch {
    return false;
  }
}
