import type { RpmResolveRepository } from './pool.ts';

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
  readonly owners: ReadonlyMap<string, readonly RpmFileOwner[]>;
}

/**
 * Reads every repository's complete file lists (filelists.xml), for resolving file
 * dependencies that primary's partial lists do not cover. Pass the result as
 * `filelists` to resolve several times without reading them again.
 */
export async function loadRpmFilelists(
  repos: readonly RpmResolveRepository[],
): Promise<RpmFilelistIndex> {
  const owners = new Map<string, RpmFileOwner[]>();
  for (const repo of repos) {
    if (repo.filelists === undefined) continue;
    for await (const list of repo.filelists()) {
      const owner: RpmFileOwner = {
        repository: repo.name,
        pkgid: list.pkgid,
        name: list.name,
        arch: list.arch,
      };
      for (const path of list.files) {
        const known = owners.get(path);
        if (known === undefined) owners.set(path, [owner]);
        else known.push(owner);
      }
    }
  }
  return { owners };
}
