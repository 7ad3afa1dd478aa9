import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { assertHost, checkHost } from '../core/host.ts';
import { checkSecureBootSettings } from '../secure-boot/efi-signer.ts';
import { requirementsFor } from '../core/host-uses.ts';
import type { RepositoryOrigin } from '../pipeline/repository-sources.ts';
import type { FixtureRepositories } from '../workspace/fixture-repositories.ts';
import { cacheDirFrom, downloadsDirOf } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { runIsoBuild } from './iso-command.ts';
import type { IsoFlags } from './iso-command.ts';
import { loadVariantForCli } from './load-variant.ts';
import { reporterFrom } from './output-settings.ts';
import type { OutputSettings } from './output-settings.ts';
import { chooseRepositories, originFromFlags, probeRepositories } from './repository-choice.ts';
import type { RepositoryFlags } from './repository-choice.ts';

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
  const { flags, fixture } = request;
  const reporter = reporterFrom(request.output);
  const cacheDir = cacheDirFrom(flags);
  let spec = await loadVariantForCli(request.variant, request.resolveOptions, cacheDir);
  // A signed build checks its key before it probes any mirror.
  if (spec.secureBoot !== undefined) await checkSecureBootSettings(spec.secureBoot);
  const choice = await repositoryChoice(spec, flags);
  if (choice.origin === 'fixture') {
    reporter.warn(
      `building from the OFFLINE FIXTURE repository ${fixture.repos.join(', ')}${choice.reason === undefined ? '' : ` because ${choice.reason}`}\nthe result is not ${spec.name} from its real mirrors; the build report says so`,
    );
    spec = await loadVariantForCli(
      request.variant,
      {
        ...request.resolveOptions,
        // Named after the variant's repositories they stand in for, so the report reads alike.
        repositories: fixture.repos.map((url, index) => ({
          url,
          keysDir: fixture.keys,
          name: spec.repositories[index]?.name ?? `fixture-${index + 1}`,
        })),
      },
      cacheDir,
    );
  }
  const report = await runIsoBuild(
    spec,
    { ...flags, debug: request.output.debug === true },
    reporter,
    choice.origin,
  );
  const iso = report.artifacts[0];
  return `${iso?.file ?? ''} ${iso?.sha256 ?? ''}\n`;
}

/**
 * Which repositories a build reads. Only when the flags leave it open are the variant's mirrors
 * probed, and only their being out of reach altogether sends the build to the fixture.
 */
async function repositoryChoice(
  spec: VariantSpec,
  flags: RepositoryFlags & RepositoryAccessOptions,
): Promise<{ origin: RepositoryOrigin; reason?: string }> {
  const origin = originFromFlags(flags);
  if (origin !== undefined) return { origin };
  const probes = await probeRepositories(spec, {
    downloadsDir: downloadsDirOf(cacheDirFrom(flags)),
  });
  return chooseRepositories(probes);
}
