import type { RpmPackageFiles, RpmResolveRepository } from './pool.ts';

/** A package in a repository's complete file lists. */
export interface RpmFileOwner {
  readonly repository: string;
  /** The package's checksum, as in primary. */
  readonly pkgid: string;
  readonly name: string;
  readonly arch: string;
}

/** Which packages contain each path, from the repositories' complete file lists. */
export interface RpmFilelistIndex {
  readonly owners: { get(path: string): readonly RpmFileOwner[] | undefined };
}

/**
 * Reads every repository's complete file lists (filelists.xml), for resolving file
 * dependencies that primary's partial lists do not cover. Pass the result as
 * `filelists` to resolve several times without reading them again.
 */
export async function loadRpmFilelists(
  repos: readonly RpmResolveRepository[],
): Promise<RpmFilelistIndex> {
  const lookups: ((path: string) => readonly RpmFileOwner[])[] = [];
  for (const repo of repos) {
    if (repo.fileOwners !== undefined) {
      const ownersOf = await repo.fileOwners();
      lookups.push((path) =>
        ownersOf(path).map(({ pkgid, name, arch }) => ({
          repository: repo.name,
          pkgid,
          name,
          arch,
        })),
      );
    } else if (repo.filelists !== undefined) {
      const owners = await ownersByPath(repo.name, repo.filelists());
      lookups.push((path) => owners.get(path) ?? []);
    }
  }
  return {
    owners: {
      get(path) {
        const found = lookups.flatMap((ownersOf) => ownersOf(path));
        return found.length === 0 ? undefined : found;
      },
    },
  };
}

/** Every path of a repository's file lists, with the packages that hold it. */
async function ownersByPath(
  repository: string,
  lists: AsyncIterable<RpmPackageFiles>,
): Promise<Map<string, RpmFileOwner[]>> {
  const owners = new Map<string, RpmFileOwner[]>();
  for await (const list of lists) {
    const owner: RpmFileOwner = { repository, pkgid: list.pkgid, name: list.name, arch: list.arch };
    for (const path of list.files) {
      const known = owners.get(path);
      if (known === undefined) owners.set(path, [owner]);
      else known.push(owner);
    }
  }
  return owners;
}
