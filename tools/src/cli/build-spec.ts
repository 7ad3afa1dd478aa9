import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import type { Reporter } from '../core/step.ts';
import type { RepositoryOrigin } from '../pipeline/repository-sources.ts';
import { checkSecureBootSettings } from '../secure-boot/efi-signer.ts';
import type { FixtureRepositories } from '../workspace/fixture-repositories.ts';
import { cacheDirFrom, downloadsDirOf } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';
import { loadVariantForCli } from './load-variant.ts';
import { chooseRepositories, originFromFlags, probeRepositories } from './repository-choice.ts';
import type { RepositoryFlags } from './repository-choice.ts';

export interface BuildSpecRequest {
  /** The built-in variant or the `--variant-file`. */
  readonly variant: string;
  readonly resolveOptions: ResolveOptions;
  readonly flags: RepositoryFlags & RepositoryAccessOptions;
  /** The offline repositories a build falls back to when the variant's mirrors are out of reach. */
  readonly fixture: FixtureRepositories;
  readonly reporter: Reporter;
}

/**
 * The spec a build (or a lock) reads packages with, and who chose its repositories: the
 * variant's, `--repo`, or the offline fixture when the flags leave it open and every mirror is
 * out of reach. A signed build's key is checked before any mirror is probed.
 */
export async function specForBuild(
  request: BuildSpecRequest,
): Promise<{ spec: VariantSpec; origin: RepositoryOrigin }> {
  const { flags, fixture, reporter } = request;
  const cacheDir = cacheDirFrom(flags);
  const spec = await loadVariantForCli(request.variant, request.resolveOptions, cacheDir);
  if (spec.secureBoot !== undefined) await checkSecureBootSettings(spec.secureBoot);
  const choice = await repositoryChoice(spec, flags);
  if (choice.origin !== 'fixture') return { spec, origin: choice.origin };
  reporter.warn(
    `packages come from the OFFLINE FIXTURE repository ${fixture.repos.join(', ')}${choice.reason === undefined ? '' : ` because ${choice.reason}`}\nthe result is not ${spec.name} from its real mirrors; a build report says so`,
  );
  const fixtureSpec = await loadVariantForCli(
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
  return { spec: fixtureSpec, origin: 'fixture' };
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
