import type { Repository, VariantSpec } from '@levitate/distro-spec';
import { FAMILY_LAYOUTS } from '../backend/index.ts';
import { UserError } from '../core/errors.ts';
import { createFetcher } from '../fetch/index.ts';
import type { FetchRequest } from '../fetch/index.ts';
import type { RepositoryOrigin } from '../pipeline/repository-sources.ts';

/** What asking a repository for its index found. */
export type IndexProbe =
  | { readonly repository: Repository; readonly state: 'answers' }
  | {
      readonly repository: Repository;
      /** Every mirror failed before answering: name, route, refusal or no answer in time. */
      readonly state: 'unreachable';
      readonly error: UserError;
      /** A copy of the index, accepted by an earlier build, is in the download cache. */
      readonly cached: boolean;
    }
  | { readonly repository: Repository; readonly state: 'failed'; readonly error: Error };

export interface ProbeSettings {
  /** The download cache (`<cache>/downloads`). */
  readonly downloadsDir: string;
  /** How long to wait for a mirror to answer. */
  readonly timeoutMs?: number;
}

function indexRequest(spec: VariantSpec, repository: Repository): FetchRequest {
  return {
    mirrors: [repository.url],
    path: FAMILY_LAYOUTS[spec.family].indexPath(spec.arch),
    label: `${repository.name} index`,
  };
}

/** Fetches every repository's index once, without retries, and sorts out what happened. */
export async function probeRepositories(
  spec: VariantSpec,
  settings: ProbeSettings,
): Promise<IndexProbe[]> {
  const timeoutMs = settings.timeoutMs ?? 5000;
  const online = createFetcher({
    cacheDir: settings.downloadsDir,
    retries: 0,
    timeoutMs,
    stallMs: timeoutMs,
  });
  const cacheOnly = createFetcher({ cacheDir: settings.downloadsDir, offline: true });
  return Promise.all(
    spec.repositories.map(async (repository): Promise<IndexProbe> => {
      const request = indexRequest(spec, repository);
      try {
        await online.fetch(request);
        return { repository, state: 'answers' };
      } catch (error) {
        if (error instanceof UserError && error.code === 'fetch-unreachable') {
          const cached = await cacheOnly.fetch(request).then(
            () => true,
            () => false,
          );
          return { repository, state: 'unreachable', error, cached };
        }
        return { repository, state: 'failed', error: error as Error };
      }
    }),
  );
}

/** The repositories a build uses: the variant's, or the offline fixture with the reason. */
export type RepositoryChoice =
  { readonly origin: 'variant' } | { readonly origin: 'fixture'; readonly reason: string };

const named = (repository: Repository) => `${repository.name} (${repository.url})`;

/**
 * Decides from the probes whether a build may go on with the variant's repositories, must
 * fall back to the offline fixture, or must stop. It falls back only when every repository
 * is out of reach at the connection level and the cache holds no index of any of them; any
 * other trouble is an error naming the repository and the cause, so that a typo in a URL, a
 * 404 or a TLS failure never turns quietly into a fixture build.
 */
export function chooseRepositories(probes: readonly IndexProbe[]): RepositoryChoice {
  const failed = probes.filter((probe) => probe.state === 'failed');
  const [firstFailed] = failed;
  if (firstFailed !== undefined) {
    const hint = firstFailed.error instanceof UserError ? firstFailed.error.hint : undefined;
    throw new UserError(
      'repository-unusable',
      `repository ${named(firstFailed.repository)} cannot be used: ${firstFailed.error.message}`,
      {
        hint: hint ?? 'fix the repository URL in the variant, or give --repo',
        cause: firstFailed.error,
      },
    );
  }
  const unreachable = probes.filter((probe) => probe.state === 'unreachable');
  if (unreachable.length === 0) return { origin: 'variant' };
  const listing = unreachable
    .map((probe) => `\n  ${named(probe.repository)}: ${probe.error.message}`)
    .join('');
  if (unreachable.length < probes.length) {
    const answering = probes
      .filter((probe) => probe.state === 'answers')
      .map((probe) => probe.repository.name);
    throw new UserError(
      'repository-unreachable',
      `some repositories cannot be reached while ${answering.join(', ')} answer:${listing}`,
      { hint: 'check the URLs of those repositories and the network, or give --repo' },
    );
  }
  const cached = unreachable.filter((probe) => probe.cached).map((probe) => probe.repository.name);
  if (cached.length > 0) {
    throw new UserError(
      'mirrors-unreachable',
      `no repository can be reached, and the cache holds the index of ${cached.join(', ')}:${listing}`,
      {
        hint: 'rerun with --offline to build from the cache, or with --fixture to build from the offline fixture',
      },
    );
  }
  return {
    origin: 'fixture',
    reason: `no repository of the variant can be reached and the cache holds none of their indexes:${listing}`,
  };
}

/** How the command line asked for repositories. */
export interface RepositoryFlags {
  readonly repo: readonly string[];
  readonly fixture?: boolean;
  readonly offline?: boolean;
}

/**
 * The origin of a build's repositories from the flags alone, or undefined when only probing
 * the variant's mirrors can tell: `--repo` wins, then `--fixture`, and `--offline` means the
 * variant's repositories read from the cache.
 */
export function originFromFlags(flags: RepositoryFlags): RepositoryOrigin | undefined {
  if (flags.repo.length > 0) return 'command-line';
  if (flags.fixture === true) return 'fixture';
  if (flags.offline === true) return 'variant';
  return undefined;
}
