import type { ResolveOptions } from '@levitate/distro-spec';
import { lockFileFor } from '@levitate/distro-spec/lock';
import { resolve } from 'node:path';
import { inStage } from '../core/errors.ts';
import { lockOf, writeLockFile } from '../lock/index.ts';
import { buildEpoch, sourceDateEpochFromEnv } from '../pipeline/context.ts';
import { loadRepositories } from '../pipeline/repository-sources.ts';
import type { FixtureRepositories } from '../workspace/fixture-repositories.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { specForBuild } from './build-spec.ts';
import { reporterFrom } from './output-settings.ts';
import type { OutputSettings } from './output-settings.ts';
import { packageContext } from './package-context.ts';
import type { RepositoryFlags } from './repository-choice.ts';

export interface LockCommandRequest {
  /** The executable, for the lock file's comment (`acorn lock`). */
  readonly bin: string;
  readonly variant: string;
  readonly resolveOptions: ResolveOptions;
  readonly flags: RepositoryFlags & RepositoryAccessOptions & { keys?: string; lockFile?: string };
  readonly output: OutputSettings;
  readonly fixture: FixtureRepositories;
}

/**
 * `lock`: resolves the variant as a build would (same repositories, same fallback), fetches
 * and verifies every package, and writes the lock beside the variant file (or `--lock-file`),
 * replacing the old one only once the new one is complete.
 */
export async function runLockCommand(request: LockCommandRequest): Promise<string> {
  const reporter = reporterFrom(request.output);
  const { spec, origin } = await specForBuild({ ...request, reporter });
  const context = packageContext(spec, request.flags, reporter);
  const { universe, ledger } = await inStage('load the repositories', () =>
    loadRepositories(spec, context, origin),
  );
  const resolution = await inStage('resolve the packages', () => universe.resolve(spec.packages));
  const packages = await inStage('fetch and verify the packages', () => universe.fetch(resolution));
  const epoch = buildEpoch(
    { sourceDateEpoch: sourceDateEpochFromEnv() },
    resolution.packages.map((pkg) => pkg.buildTime ?? 0),
  );
  const lock = lockOf({ spec, resolution, packages, sources: ledger.sources(), epoch });
  const file =
    request.flags.lockFile === undefined ? lockFileFor(spec) : resolve(request.flags.lockFile);
  await writeLockFile(file, lock, request.bin);
  return `${file}: ${lock.packages.length} packages locked (epoch ${lock.epoch})\n`;
}
