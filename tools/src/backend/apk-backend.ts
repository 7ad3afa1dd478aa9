import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  APK_CATALOG_FORMAT,
  APK_INDEX_PARSER_VERSION,
  PackedCatalogView,
  isPackedCatalog,
  packCatalog,
  parseApkIndexText,
  resolverOn,
} from '../apk-resolve/index.ts';
import type { ApkIndexSource, ApkResolver, PackedCatalog } from '../apk-resolve/index.ts';
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
import { FAMILY_LAYOUTS } from './family-layout.ts';
import { caseInsensitiveThenCodeUnit } from '../core/text-order.ts';
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
  /** How many records its index has. */
  readonly packages: number;
}

/** An index whose signature has just been checked, with what its parse depends on. */
interface VerifiedApkIndex {
  readonly name: string;
  readonly mirror: string;
  readonly keys: ApkKeys;
  readonly source: ApkIndexSource;
  readonly sha256: string;
  readonly text: string;
  /** apk's priority: higher wins. */
  readonly priority: number;
}

/** Alpine's apk-tools 2 repositories: `<url>/<arch>/APKINDEX.tar.gz` and `<name>-<version>.apk`. */
export const apkBackend: PackageBackend = {
  family: 'apk',
  ...FAMILY_LAYOUTS.apk,
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
    const verified: VerifiedApkIndex[] = [];
    for (const repository of repositories) {
      verified.push(
        await inStage(`load the APK index of ${repository.name}`, async () => {
          refuseApkV3Repository(repository.url, arch);
          const indexPath = FAMILY_LAYOUTS.apk.indexPath(arch);
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
          return {
            name: repository.name,
            mirror,
            keys,
            source: { repository: repository.name, file },
            sha256: createHash('sha256').update(bytes).digest('hex'),
            text,
            // apk prefers higher numbers; the variant's priorities follow dnf (lower wins).
            priority: 100 - repository.priority,
          };
        }),
      );
    }
    const cache = createMetadataCache(metadataCacheDir(context.stateDir), context.reporter);
    const catalog = new PackedCatalogView(await cache.remember(apkCatalogParse(verified, arch)));
    const loaded = verified.map(({ name, mirror, keys }, position): LoadedApkRepository => ({
      name,
      mirror,
      keys,
      packages: catalog.recordCounts[position] ?? 0,
    }));
    return apkUniverse(loaded, resolverOn(catalog), context);
  },
};

/**
 * The solver's graph of verified APKINDEXes, keyed by the SHA-256 of each whole verified file,
 * by what the parser copies into every record, and by what the graph depends on (the
 * architecture, the indexes' order and priorities).
 */
function apkCatalogParse(
  indexes: readonly VerifiedApkIndex[],
  arch: string,
): CachedParse<PackedCatalog> {
  return {
    kind: 'apk-catalog',
    slot: [arch, ...indexes.map((index) => `${index.name}\0${index.source.file}`)].join('\0'),
    key: [
      `parser ${APK_INDEX_PARSER_VERSION}`,
      `catalog ${APK_CATALOG_FORMAT}`,
      `arch ${arch}`,
      ...indexes.flatMap((index) => [
        `repository ${index.name}`,
        `file ${index.source.file}`,
        `sha256 ${index.sha256}`,
        `priority ${index.priority}`,
      ]),
    ],
    what: `APK package graph of ${indexes.map((index) => index.name).join(', ')}`,
    accept: isPackedCatalog,
    parse: async () => {
      const inputs = await Promise.all(
        indexes.map((index) =>
          inStage(`parse the APK index of ${index.name}`, async () => ({
            repository: index.name,
            priority: index.priority,
            records: parseApkIndexText(index.text, index.source),
          })),
        ),
      );
      return packCatalog(inputs, arch);
    },
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
      packages: repository.packages,
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
        // By name, the same on every host (a locale's collation is neither, and costs ICU's start-up).
        packages: [...packages].sort((a, b) => caseInsensitiveThenCodeUnit(a.name, b.name)),
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
