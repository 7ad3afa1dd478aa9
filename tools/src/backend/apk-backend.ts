import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  APK_INDEX_PARSER_VERSION,
  createApkResolver,
  parseApkIndexText,
} from '../apk-resolve/index.ts';
import type { ApkIndexRecord, ApkIndexSource, ApkResolver } from '../apk-resolve/index.ts';
import {
  inspectApk,
  loadApkKeys,
  readApkIndex,
  readApkPackage,
  refuseApkV3Repository,
  streamPackageData,
} from '../apk/index.ts';
import type { ApkKeys } from '../apk/index.ts';
import { inStage } from '../core/errors.ts';
import { repositoryFor } from './package-repository.ts';
import { createMetadataCache, metadataCacheDir } from '../metadata-cache/index.ts';
import type { CachedParse } from '../metadata-cache/index.ts';
import { assertLocalIndex } from './local-index.ts';
import { describeApkReason } from './reasons.ts';
import { trustedKeysFor } from './trust.ts';
import type {
  BackendContext,
  PackageBackend,
  PackageUniverse,
  ResolvedPackage,
  VerifiedPackage,
} from './types.ts';

interface LoadedApkRepository {
  readonly name: string;
  readonly mirror: string;
  readonly keys: ApkKeys;
  readonly records: readonly ApkIndexRecord[];
}

/** Alpine's apk-tools 2 repositories: `<url>/<arch>/APKINDEX.tar.gz` and `<name>-<version>.apk`. */
export const apkBackend: PackageBackend = {
  family: 'apk',
  suffix: '.apk',
  indexPath: (arch) => `${arch}/APKINDEX.tar.gz`,
  async inspect(file, options) {
    const keys = options.keyDirs.length > 0 ? await loadApkKeys(options.keyDirs) : undefined;
    const unverified: string[] = [];
    const description = await inspectApk(file, {
      ...(keys === undefined ? {} : { keys, requireSignature: true }),
      ...(options.verify ? {} : { onUnverified: (message: string) => unverified.push(message) }),
    });
    return { description, unverified };
  },
  async load(repositories, context) {
    const arch = context.spec.arch;
    const loaded: LoadedApkRepository[] = [];
    const cache = createMetadataCache(metadataCacheDir(context.stateDir), context.reporter);
    for (const repository of repositories) {
      loaded.push(
        await inStage(`load the APK index of ${repository.name}`, async () => {
          refuseApkV3Repository(repository.url, arch);
          const indexPath = `${arch}/APKINDEX.tar.gz`;
          await assertLocalIndex(repository.url, { format: 'APK', indexPath, holds: `${arch}/` });
          const trusted = await trustedKeysFor(context.spec, repository, {
            keyDirs: context.keyDirs,
            fetcher: context.fetcher,
          });
          const keys = await loadApkKeys(repository.keysDir ?? trusted.map((key) => key.file));
          const mirror = `${repository.url.replace(/\/+$/, '')}/${arch}/`;
          const index = await context.fetcher.fetch({
            mirrors: [mirror],
            path: 'APKINDEX.tar.gz',
            label: `${repository.name} APKINDEX`,
          });
          const file = `${mirror}APKINDEX.tar.gz`;
          const bytes = new Uint8Array(await readFile(index.file));
          // The signature is checked on every load; only the parse of these bytes is cached.
          const { text } = await readApkIndex(bytes, {
            keys,
            requireSignature: context.verify,
            file,
          });
          const source: ApkIndexSource = { repository: repository.name, file };
          const records = await cache.remember(
            apkIndexParse(bytes, source, () => parseApkIndexText(text, source)),
          );
          return { name: repository.name, mirror, keys, records };
        }),
      );
    }
    const priorities = new Map(
      repositories.map((repository) => [repository.name, repository.priority]),
    );
    const resolver: ApkResolver = createApkResolver(
      loaded.map((repository) => ({
        repository: repository.name,
        // apk prefers higher numbers; the variant's priorities follow dnf (lower wins).
        priority: 100 - (priorities.get(repository.name) ?? 50),
        records: repository.records,
      })),
      { arch },
    );
    return apkUniverse(loaded, resolver, context);
  },
};

/**
 * The parse of an APKINDEX whose signature has just been checked, keyed by the SHA-256 of the
 * whole verified file and by what the parser copies into every record.
 */
function apkIndexParse(
  verified: Uint8Array,
  source: ApkIndexSource,
  parse: () => ApkIndexRecord[],
): CachedParse<ApkIndexRecord[]> {
  return {
    kind: 'apk-index',
    slot: `${source.repository}\0${source.file}`,
    key: [
      `parser ${APK_INDEX_PARSER_VERSION}`,
      `repository ${source.repository}`,
      `file ${source.file}`,
      `sha256 ${createHash('sha256').update(verified).digest('hex')}`,
    ],
    what: `APKINDEX of ${source.repository}`,
    accept: (value): value is ApkIndexRecord[] => Array.isArray(value),
    parse: async () => parse(),
  };
}

/** The checksum an APK index gives a package: the SHA-1 of its control section (`Q1…`). */
const APK_CONTROL_CHECKSUM = 'apk-control-sha1';

function apkUniverse(
  loaded: readonly LoadedApkRepository[],
  resolver: ApkResolver,
  context: BackendContext,
): PackageUniverse {
  return {
    repositories: loaded.map((repository) => ({
      name: repository.name,
      url: repository.mirror,
      packages: repository.records.length,
    })),
    async resolve(request) {
      const resolution = resolver.resolve(request);
      const packages: ResolvedPackage[] = resolution.packages.map((record) => {
        const reason = resolution.reasons.get(record.name);
        return {
          name: record.name,
          version: record.version,
          arch: record.arch ?? context.spec.arch,
          repository: record.repository,
          size: record.size ?? 0,
          location: `${record.name}-${record.version}.apk`,
          checksum: { type: APK_CONTROL_CHECKSUM, value: record.checksum ?? '' },
          reason: reason === undefined ? 'requested' : describeApkReason(reason),
          ...(record.buildTime === undefined ? {} : { buildTime: record.buildTime }),
          ...(record.license === undefined ? {} : { license: record.license }),
        };
      });
      return {
        family: 'apk',
        packages: [...packages].sort((a, b) => a.name.localeCompare(b.name)),
        warnings: [],
        graph: resolution.graph,
      };
    },
    async fetch(resolution) {
      const digests = new ControlHashDigests(join(context.stateDir, 'apk-control-hashes'));
      return Promise.all(
        resolution.packages.map(async (pkg): Promise<VerifiedPackage> => {
          const repository = repositoryFor(pkg, loaded, (candidate) => candidate.name);
          const controlHash =
            pkg.checksum.type === APK_CONTROL_CHECKSUM && pkg.checksum.value !== ''
              ? pkg.checksum.value
              : undefined;
          const known = await digests.get(controlHash);
          const fetchWith = (remembered: string | undefined) =>
            context.fetcher.fetch({
              mirrors: [pkg.locationBase ?? repository.mirror],
              path: pkg.location,
              label: `${pkg.name}-${pkg.version}`,
              expected: {
                ...(pkg.size > 0 ? { size: pkg.size } : {}),
                ...(remembered ? { digest: { algorithm: 'sha256', hex: remembered } } : {}),
              },
            });
          // The remembered SHA-256 only finds the cached copy; a package signed again since
          // (same control section, new signature) has another one, and the control hash and
          // signature checked below are what decide.
          const fetched = await fetchWith(known).catch((error: unknown) => {
            if (known === undefined) throw error;
            return fetchWith(undefined);
          });
          const options = {
            keys: repository.keys,
            requireSignature: context.verify,
            ...(controlHash === undefined ? {} : { expectedControlHash: controlHash }),
          };
          const apk = await readApkPackage(fetched.file, options).catch(async (error: unknown) => {
            await context.fetcher.discard(fetched);
            throw error;
          });
          await digests.set(controlHash, fetched.digest.hex);
          return {
            package: pkg,
            file: fetched.file,
            digest: fetched.digest,
            signer: apk.signer,
            scripts: apk.scripts,
            replaces: apk.info.replaces.map((dependency) => dependency.replace(/[<>=~].*$/, '')),
            entries: () => streamPackageData(apk),
          };
        }),
      );
    },
  };
}

/**
 * An APK index names a package by the hash of its control section, not of the file. Once a
 * file has verified against that hash, its SHA-256 is remembered so later builds find it in
 * the content-addressed cache (where it is checked again) without going to the network.
 */
class ControlHashDigests {
  constructor(private readonly dir: string) {}

  async get(controlHash: string | undefined): Promise<string | undefined> {
    if (controlHash === undefined) return undefined;
    const text = await readFile(this.file(controlHash), 'utf8').catch(() => undefined);
    return text !== undefined && /^[0-9a-f]{64}$/.test(text.trim()) ? text.trim() : undefined;
  }

  async set(controlHash: string | undefined, sha256: string): Promise<void> {
    if (controlHash === undefined) return;
    await mkdir(this.dir, { recursive: true });
    const target = this.file(controlHash);
    await writeFile(`${target}.tmp-${process.pid}`, `${sha256}\n`);
    await rename(`${target}.tmp-${process.pid}`, target);
  }

  private file(controlHash: string): string {
    return join(this.dir, Buffer.from(controlHash.replace(/^Q1/, ''), 'base64').toString('hex'));
  }
}
