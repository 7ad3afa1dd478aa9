import type { CachedParse } from '../metadata-cache/index.ts';
import type { RepomdData } from './repomd-parse.ts';
import type { RepoSource } from './source.ts';

/**
 * The version of what the primary, filelists and comps parsers return (primary.ts,
 * primary-draft.ts, fields.ts, filelists.ts, comps.ts, limits.ts). Bump it whenever they give
 * another result for the same bytes: a new or renamed field, other normalisation, other
 * limits. Parsed metadata kept by another version is then parsed again.
 */
export const RPM_METADATA_PARSER_VERSION = 2;

/** Which repository a loaded file belongs to, and what the parse copies into its output. */
export interface ParseScope {
  readonly name: string;
  readonly source: RepoSource;
  /** The architecture filter, when packages of other architectures are dropped. */
  readonly arch: string | undefined;
}

/**
 * A parse of the metadata file that `entry` of a verified repomd.xml describes, keyed by that
 * entry's checksum and size: the cached value stands for bytes the repomd.xml vouches for.
 */
export function rpmMetadataParse<T>(
  kind: 'rpm-primary' | 'rpm-filelists' | 'rpm-comps',
  entry: RepomdData,
  scope: ParseScope,
  parse: () => Promise<T>,
  accept: (value: unknown) => value is T,
  version: number = RPM_METADATA_PARSER_VERSION,
): CachedParse<T> {
  return {
    kind,
    slot: `${scope.name}\0${scope.source.url}`,
    key: [
      `parser ${version}`,
      `repository ${scope.name}`,
      `arch ${scope.arch ?? '*'}`,
      `type ${entry.type}`,
      `location ${entry.location}`,
      `checksum ${entry.checksum.type}:${entry.checksum.value}`,
      `size ${entry.size ?? '-'}`,
      `open-size ${entry.openSize ?? '-'}`,
    ],
    what: `${kind.slice('rpm-'.length)} metadata of ${scope.name}`,
    accept,
    parse,
  };
}
