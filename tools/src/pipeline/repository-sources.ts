import type { Repository, VariantSpec } from '@levitate/distro-spec';
import { loadBackend } from '../backend/index.ts';
import type { BackendContext, PackageUniverse } from '../backend/index.ts';
import type { Fetcher, FetchRequest, FetchResult } from '../fetch/index.ts';
import { parseMirror } from '../fetch/mirrors.ts';

/** Who chose a build's repositories: the variant file, `--repo`, or the offline fixture. */
export type RepositoryOrigin = 'variant' | 'command-line' | 'fixture';

/** Where one file was read: a remote mirror, the download cache, an ISO tree, a folder. */
export type SourceKind = 'mirror' | 'cache' | 'iso' | 'folder' | 'fixture';

/** Where a repository's index and packages came from, as the build report records it. */
export interface RepositorySources {
  readonly name: string;
  readonly url: string;
  readonly origin: RepositoryOrigin;
  /** The index (repomd.xml, APKINDEX.tar.gz): what supplied it, from where, and its SHA-256. */
  readonly index:
    { readonly from: SourceKind; readonly location: string; readonly sha256: string } | undefined;
  /** How many package files each kind of source supplied. */
  readonly packages: Readonly<Partial<Record<SourceKind, number>>>;
}

interface Watched {
  readonly repository: Repository;
  readonly indexLocation: string;
  index?: { from: SourceKind; location: string; sha256: string };
  readonly packages: Partial<Record<SourceKind, number>>;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Watches a fetcher and notes, per repository, where its index and packages were read: the
 * evidence a release engineer needs to tell a build from real mirrors from one made out of a
 * stale cache or the offline fixture.
 */
export class SourceLedger {
  readonly #watched: Watched[];
  readonly #origin: RepositoryOrigin;
  readonly #packageSuffix: string;
  readonly fetcher: Fetcher;

  constructor(
    inner: Fetcher,
    options: {
      readonly repositories: readonly Repository[];
      readonly origin: RepositoryOrigin;
      /** The package file suffix (`.rpm`, `.apk`); every other file counts as metadata. */
      readonly packageSuffix: string;
      /** The index file relative to a repository URL. */
      readonly indexPath: string;
    },
  ) {
    this.#origin = options.origin;
    this.#packageSuffix = options.packageSuffix;
    this.#watched = options.repositories.map((repository) => ({
      repository,
      indexLocation: `${withoutTrailingSlash(repository.url)}/${options.indexPath}`,
      packages: {},
    }));
    const note = (request: FetchRequest, result: FetchResult) => this.#note(request, result);
    this.fetcher = {
      async fetch(request, callOptions) {
        const result = await inner.fetch(request, callOptions);
        note(request, result);
        return result;
      },
      async fetchAll(requests, callOptions) {
        const results = await inner.fetchAll(requests, callOptions);
        results.forEach((result, index) => {
          const request = requests[index];
          if (request !== undefined) note(request, result);
        });
        return results;
      },
      discard: (result) => inner.discard(result),
    };
  }

  #note(request: FetchRequest, result: FetchResult): void {
    const [mirror] = request.mirrors;
    if (mirror === undefined) return;
    const location = `${withoutTrailingSlash(mirror)}/${request.path}`;
    const watched = this.#owner(location);
    if (watched === undefined) return;
    const from = this.#kind(mirror, result);
    if (location === watched.indexLocation) {
      watched.index = { from, location: result.url, sha256: result.digest.hex };
    } else if (request.path.endsWith(this.#packageSuffix)) {
      watched.packages[from] = (watched.packages[from] ?? 0) + 1;
    }
  }

  /** The repository whose URL is the longest prefix of the location. */
  #owner(location: string): Watched | undefined {
    let best: Watched | undefined;
    for (const watched of this.#watched) {
      const root = `${withoutTrailingSlash(watched.repository.url)}/`;
      if (location.startsWith(root) && root.length > (best?.repository.url.length ?? -1)) {
        best = watched;
      }
    }
    return best;
  }

  #kind(mirror: string, result: FetchResult): SourceKind {
    if (result.fromCache) return 'cache';
    const kind = parseMirror(mirror).kind;
    if (kind === 'http') return 'mirror';
    if (kind === 'iso') return 'iso';
    return this.#origin === 'fixture' ? 'fixture' : 'folder';
  }

  /** Every repository in the variant's order, whether or not anything was read from it. */
  sources(): RepositorySources[] {
    return this.#watched.map((watched) => ({
      name: watched.repository.name,
      url: watched.repository.url,
      origin: this.#origin,
      index: watched.index,
      packages: { ...watched.packages },
    }));
  }
}

/**
 * The variant's repositories loaded by its backend, through a ledger that notes where the index
 * and every package file of each came from (for the report and the lock).
 */
export async function loadRepositories(
  spec: VariantSpec,
  context: BackendContext,
  origin: RepositoryOrigin,
): Promise<{ readonly universe: PackageUniverse; readonly ledger: SourceLedger }> {
  const backend = await loadBackend(spec.family);
  const ledger = new SourceLedger(context.fetcher, {
    repositories: spec.repositories,
    origin,
    packageSuffix: backend.suffix,
    indexPath: backend.indexPath(spec.arch),
  });
  const universe = await backend.load(spec.repositories, { ...context, fetcher: ledger.fetcher });
  return { universe, ledger };
}

/** One line per repository for the readable report. */
export function describeSources(sources: readonly RepositorySources[]): string[] {
  return sources.map((source) => {
    const index =
      source.index === undefined
        ? 'index not read'
        : `index from ${source.index.from} ${source.index.location}`;
    const counts = Object.entries(source.packages)
      .map(([kind, count]) => `${count} from ${kind}`)
      .join(', ');
    return `  ${source.name} (${source.origin}) ${source.url}: ${index}; packages: ${counts === '' ? 'none' : counts}`;
  });
}
