import type { UserError } from '../core/errors.ts';
import { parseEveryTime } from '../metadata-cache/index.ts';
import type { MetadataCache } from '../metadata-cache/index.ts';
import type { Keyring } from '../openpgp/api.ts';
import { rpmMetadataParse } from './cached-parse.ts';
import { isPackedPackages, packPackages, unpackPackages } from './packed-packages.ts';
import { FilelistReader, isPackedFilelists, packFilelists } from './packed-filelists.ts';
import type { FilelistOwner } from './packed-filelists.ts';
import type { ParseScope } from './cached-parse.ts';
import { parseComps } from './comps.ts';
import { parseFilelists } from './filelists.ts';
import type { RpmFilelist } from './filelists.ts';
import {
  SUPPORTED_FORMATS,
  metadataContext,
  readMetadata,
  verifyMetadataFile,
} from './metadata-file.ts';
import { listedForms, readFirstPresent } from './metadata-forms.ts';
import { parsePrimary } from './primary.ts';
import { MetadataMissingError, malformedMetadata } from './problem.ts';
import { REPOMD_PATH, readRepomd } from './repomd.ts';
import type { Repomd } from './repomd.ts';
import type { RepomdData } from './repomd-parse.ts';
import { joinUrl } from './source.ts';
import type { RepoSource } from './source.ts';
import type { Comps, RpmRepoPackage } from './types.ts';

export interface LoadRpmRepositoryOptions {
  /** The repository's name as the variant gives it; it is in every record and message. */
  readonly name: string;
  readonly priority: number;
  /** Keys for `repodata/repomd.xml.asc`; a function is called only when the file is present. */
  readonly keyring?: Keyring | (() => Promise<Keyring>);
  readonly requireSignature: boolean;
  /** Keep only packages of this architecture and `noarch` (and their file lists). */
  readonly arch?: string;
  /**
   * Parsed primary, filelists and comps kept between runs, keyed by the checksums the
   * repomd.xml read (and verified) on this run lists. Without it, every file is parsed.
   */
  readonly cache?: MetadataCache;
}

export interface RpmRepository {
  readonly name: string;
  readonly priority: number;
  /** The repository root. */
  readonly url: string;
  readonly revision?: string;
  readonly repomd: Repomd;
  readonly packages: RpmRepoPackage[];
  readonly comps?: Comps;
  /**
   * Why the groups could not be read although repomd.xml lists comps (no listed file is
   * present, or only unreadable forms are offered). Loading goes on; a group request fails.
   */
  readonly compsProblem?: UserError;
  /**
   * Every package's file list, read from filelists.xml only when iterated. The file is verified
   * whole before the first list is yielded, and again as it is parsed.
   */
  filelists(): AsyncIterable<RpmFilelist>;
  /**
   * The packages whose complete file lists hold a path, from the file lists read whole (and
   * verified) once, or kept by the metadata cache.
   */
  fileOwners(): Promise<(path: string) => readonly FilelistOwner[]>;
}

/** Comps data types, preferred first. */
const COMPS_TYPES = ['group_zst', 'group_xz', 'group_gz', 'group', 'comps_gz', 'comps'];

function findData(repomd: Repomd, type: string): RepomdData | undefined {
  return repomd.data.find((entry) => entry.type === type);
}

/** The entry of `type`, or an error saying which unsupported variants the repository offers. */
function requireData(repomd: Repomd, type: string, source: RepoSource, name: string): RepomdData {
  const entry = findData(repomd, type);
  if (entry !== undefined) return entry;
  const variants = repomd.data
    .map((data) => data.type)
    .filter((other) => other.startsWith(`${type}_`));
  const offered =
    variants.length === 0
      ? `lists no ${type} metadata`
      : `offers ${type} only as ${variants.join(', ')}`;
  throw malformedMetadata(
    { repository: name, file: joinUrl(source.url, REPOMD_PATH), kind: 'repomd.xml' },
    `${offered} (supported: ${type} as ${SUPPORTED_FORMATS})`,
  );
}

function isComps(value: unknown): value is Comps {
  const comps = value as Partial<Comps> | null;
  return (
    typeof comps === 'object' && Array.isArray(comps?.groups) && Array.isArray(comps.environments)
  );
}

async function readComps(source: RepoSource, entry: RepomdData, name: string): Promise<Comps> {
  const context = metadataContext(name, source, entry, `comps (${entry.type})`);
  const parse = async function* (xml: AsyncIterable<Uint8Array>, maxBytes: number) {
    yield await parseComps(xml, { repository: name, file: context.file, maxBytes });
  };
  let comps: Comps = { groups: [], environments: [] };
  for await (const document of readMetadata(source, entry, context, parse)) comps = document;
  return comps;
}

/**
 * The groups, from the first listed comps form the repository has. When it has none of them,
 * or offers comps only in forms that cannot be read, the problem is kept instead of thrown:
 * only a request for a group needs comps. A damaged comps file is an error all the same.
 */
async function loadComps(
  scope: ParseScope,
  repomd: Repomd,
  cache: MetadataCache,
): Promise<{ comps?: Comps; compsProblem?: UserError }> {
  const { source, name } = scope;
  const forms = listedForms(repomd.data, COMPS_TYPES);
  if (forms.length === 0) {
    const offered = repomd.data
      .map((data) => data.type)
      .filter((type) => /^(group|comps)_/.test(type));
    if (offered.length === 0) return {};
    const context = { repository: name, file: joinUrl(source.url, REPOMD_PATH), kind: 'comps' };
    return {
      compsProblem: malformedMetadata(
        context,
        `offered only as ${offered.join(', ')} (supported: ${COMPS_TYPES.join(', ')})`,
        { hint: 'request packages by name, or use a repository with plain or compressed comps' },
      ),
    };
  }
  try {
    const what = { repository: name, kind: 'comps' };
    return {
      comps: await readFirstPresent(forms, what, (entry) =>
        cache.remember(
          rpmMetadataParse(
            'rpm-comps',
            entry,
            scope,
            () => readComps(source, entry, name),
            isComps,
          ),
        ),
      ),
    };
  } catch (error) {
    if (error instanceof MetadataMissingError) return { compsProblem: error };
    throw error;
  }
}

/**
 * Loads an RPM repository: repomd.xml (signature-checked with a keyring), all of primary and
 * the comps groups. Every file is checked against the size and checksum repomd.xml gives while
 * it streams; nothing is returned from a file that does not match. Comps that the repository
 * lists but does not have leave {@link RpmRepository.compsProblem} instead of failing the load.
 * With a cache, repomd.xml (and its signature) is still read and checked every time; a file
 * whose listed checksum was parsed before is then neither fetched nor parsed again.
 */
export async function loadRpmRepository(
  source: RepoSource,
  options: LoadRpmRepositoryOptions,
): Promise<RpmRepository> {
  const { name, arch } = options;
  const cache = options.cache ?? parseEveryTime;
  const scope: ParseScope = { name, source, arch };
  const repomd = await readRepomd(source, {
    name,
    requireSignature: options.requireSignature,
    ...(options.keyring === undefined ? {} : { keyring: options.keyring }),
  });
  const primary = requireData(repomd, 'primary', source, name);
  const keep = (packageArch: string) =>
    arch === undefined || packageArch === arch || packageArch === 'noarch';

  const readPackages = async () => {
    const context = metadataContext(name, source, primary, 'primary metadata');
    const parse = (xml: AsyncIterable<Uint8Array>, maxBytes: number) =>
      parsePrimary(xml, name, { file: context.file, maxBytes });
    const packages: RpmRepoPackage[] = [];
    for await (const record of readMetadata(source, primary, context, parse)) {
      if (keep(record.arch)) packages.push(record);
    }
    return packages;
  };
  const packAll = async () => packPackages(await readPackages());
  const [packed, groups] = await Promise.all([
    cache.remember(rpmMetadataParse('rpm-primary', primary, scope, packAll, isPackedPackages)),
    loadComps(scope, repomd, cache),
  ]);
  const packages = unpackPackages(packed);

  function streamFilelists(entry: RepomdData): AsyncGenerator<RpmFilelist> {
    const context = metadataContext(name, source, entry, 'filelists metadata');
    const parse = (xml: AsyncIterable<Uint8Array>, maxBytes: number) =>
      parseFilelists(xml, name, { file: context.file, maxBytes });
    return readMetadata(source, entry, context, parse);
  }

  let packedLists: Promise<FilelistReader> | undefined;
  /** The file lists, read (and verified) whole once, or read back from the cache. */
  function filelistReader(): Promise<FilelistReader> {
    packedLists ??= (async () => {
      const entry = requireData(repomd, 'filelists', source, name);
      const packAll = async () => {
        const lists: RpmFilelist[] = [];
        for await (const record of streamFilelists(entry))
          if (keep(record.arch)) lists.push(record);
        return packFilelists(lists);
      };
      const packedForm = await cache.remember(
        rpmMetadataParse('rpm-filelists', entry, scope, packAll, isPackedFilelists),
      );
      return new FilelistReader(packedForm);
    })();
    packedLists.catch(() => (packedLists = undefined));
    return packedLists;
  }

  async function* filelists(): AsyncGenerator<RpmFilelist> {
    if (options.cache !== undefined) {
      // Kept whole: the lists are used only once the file has been read to its verified end.
      yield* (await filelistReader()).lists();
      return;
    }
    const entry = requireData(repomd, 'filelists', source, name);
    const context = metadataContext(name, source, entry, 'filelists metadata');
    await verifyMetadataFile(source, entry, context);
    for await (const record of streamFilelists(entry)) if (keep(record.arch)) yield record;
  }

  async function fileOwners(): Promise<(path: string) => readonly FilelistOwner[]> {
    const reader = await filelistReader();
    return (path) => reader.ownersOf(path);
  }

  return {
    name,
    priority: options.priority,
    url: source.url,
    ...(repomd.revision === undefined ? {} : { revision: repomd.revision }),
    repomd,
    packages,
    ...groups,
    filelists,
    fileOwners,
  };
}
