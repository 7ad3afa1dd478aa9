import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { VariantSpec } from '@levitate/distro-spec';
import { lockFileFor } from '@levitate/distro-spec/lock';
import { createRunner } from '../core/run.ts';
import { prepareEfiSigner } from '../secure-boot/efi-signer.ts';
import type { Reporter } from '../core/step.ts';
import { buildLiveIso } from '../pipeline/build.ts';
import { inBuildFolders } from '../pipeline/build-folders.ts';
import { sourceDateEpochFromEnv } from '../pipeline/context.ts';
import type { SquashfsCompression } from '../pipeline/context.ts';
import type { BuildReport } from '../pipeline/report.ts';
import type { RepositoryOrigin } from '../pipeline/repository-sources.ts';
import { cacheDirFrom } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { packageContext } from './package-context.ts';
import { stageCacheSettingsFrom } from './stage-cache-option.ts';

export interface IsoFlags extends RepositoryAccessOptions {
  out?: string;
  compressor: SquashfsCompression;
  /** Bound of the stage cache (`2G`, `500M`); `0` turns it off. */
  stageCache?: string;
  keys?: string;
  debug?: boolean;
  /** Build exactly the packages of the lock file instead of resolving. */
  locked?: boolean;
  /** The lock file, instead of `<name>.lock.yaml` beside the variant file. */
  lockFile?: string;
}

/**
 * Builds the variant's live ISO into `--out` (default `dist/<id>` under the working folder),
 * in the folders {@link inBuildFolders} checks, locks and cleans up.
 */
export async function runIsoBuild(
  spec: VariantSpec,
  flags: IsoFlags,
  reporter: Reporter,
  repositoryOrigin: RepositoryOrigin,
): Promise<BuildReport> {
  const sourceDateEpoch = sourceDateEpochFromEnv();
  const cacheDir = cacheDirFrom(flags);
  const stageCache = stageCacheSettingsFrom(cacheDir, flags.stageCache);
  const folders = {
    out: resolve(flags.out ?? join('dist', spec.id)),
    cache: cacheDir,
    temp: tmpdir(),
  };
  return inBuildFolders(spec.id, folders, { reporter }, async ({ workDir, releaseCache }) => {
    const runner = createRunner({
      debug: flags.debug === true,
      ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
    });
    // The key, its certificate and the keys to enrol are checked before any package is read.
    const secureBoot =
      spec.secureBoot === undefined
        ? undefined
        : await prepareEfiSigner(spec.secureBoot, runner, workDir);
    return buildLiveIso({
      spec,
      reporter,
      backend: packageContext(spec, flags, reporter),
      repositoryOrigin,
      runner,
      workDir,
      outDir: folders.out,
      contentDir: join(cacheDir, 'content'),
      releaseCache,
      compression: flags.compressor,
      ...(stageCache === undefined ? {} : { stageCache }),
      ...(secureBoot === undefined ? {} : { secureBoot }),
      sourceDateEpoch,
      lock: {
        file: flags.lockFile === undefined ? lockFileFor(spec) : resolve(flags.lockFile),
        mode: flags.locked === true ? 'locked' : 'compare',
      },
    });
  });
}
