import type { ResolveOptions } from '@levitate/distro-spec';
import { assertHost, checkHost } from '../core/host.ts';
import { requirementsFor } from '../core/host-uses.ts';
import type { FixtureRepositories } from '../workspace/fixture-repositories.ts';
import { specForBuild } from './build-spec.ts';
import { runIsoBuild } from './iso-command.ts';
import type { IsoFlags } from './iso-command.ts';
import { reporterFrom } from './output-settings.ts';
import type { OutputSettings } from './output-settings.ts';
import type { RepositoryFlags } from './repository-choice.ts';
import { defined } from '../core/errors.ts';

export interface BuildCommandRequest {
  /** The built-in variant or the `--variant-file`. */
  readonly variant: string;
  readonly resolveOptions: ResolveOptions;
  readonly flags: IsoFlags & RepositoryFlags;
  readonly output: OutputSettings;
  /** The offline repositories a build falls back to when the variant's mirrors are out of reach. */
  readonly fixture: FixtureRepositories;
}

/** The ISO build command (`iso`, `build`): checks the host, chooses repositories and builds. */
export async function runBuildCommand(request: BuildCommandRequest): Promise<string> {
  assertHost(await checkHost(requirementsFor('build')));
  const reporter = reporterFrom(request.output);
  const { spec, origin } = await specForBuild({ ...request, reporter });
  const report = await runIsoBuild(
    spec,
    { ...request.flags, debug: request.output.debug === true },
    reporter,
    origin,
  );
  const iso = defined(report.artifacts[0], 'the ISO artifact of the build');
  return `${iso.file} ${iso.sha256}\n`;
}
