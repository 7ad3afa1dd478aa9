import { inStage } from '../core/errors.ts';
import { repositoryFor } from './package-repository.ts';
import { createKeyring, readPublicKeys } from '../openpgp/index.ts';
import { FAMILY_LAYOUTS } from './family-layout.ts';
import type { Keyring } from '../openpgp/index.ts';
import { createMetadataCache, metadataCacheDir } from '../metadata-cache/index.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import {
  inspectRpm,
  readRpmHeaders,
  streamRpmEntries,
  verifyRpm,
  verifyRpmDigests,
} from '../rpm/index.ts';
import { loadRpmRepository } from '../rpm-repo/index.ts';
import type { RpmRepository } from '../rpm-repo/index.ts';
import { describeReason, formatEvr, resolveRpm, rpmInstallOrder } from '../rpm-resolve/index.ts';
import type { DigestAlgorithm } from '../packages/model.ts';
import { withIsoKeyHint } from './iso-keys.ts';
import { assertLocalIndex } from './local-index.ts';
import { fetchedRepoSource } from './rpm-source.ts';
import { keysInFolder, trustedKeysFor } from './trust.ts';
import type {
  BackendContext,
  PackageBackend,
  PackageUniverse,
  ResolvedPackage,
  VerifiedPackage,
} from './types.ts';

const RPM_INDEX = { format: 'RPM', indexPath: 'repodata/repomd.xml', holds: 'repodata/' };

interface LoadedRpmRepository {
  readonly repository: RpmRepository;
  /** Loaded when the first package is verified: resolving needs only checksummed metadata. */
  keyring(): Promise<Keyring>;
}

/** RPM repositories (repodata/) with OpenPGP-signed packages, resolved the way dnf would. */
export const rpmBackend: PackageBackend = {
  family: 'rpm',
  ...FAMILY_LAYOUTS.rpm,
  async inspect(file, options) {
    const description = await inspectRpm(file);
    const unverified: string[] = [];
    try {
      if (options.keyDirs.length === 0) {
        await verifyRpmDigests(file);
      } else {
        const keys = (await Promise.all(options.keyDirs.map(keysInFolder))).flat();
        const keyring = createKeyring(keys.flatMap((key) => readPublicKeys(key.bytes, key.file)));
        await verifyRpm(file, { keyring, requireSignature: true });
      }
    } catch (error) {
      if (options.verify || !isPackageProblem(error)) throw error;
      unverified.push(error.message);
    }
    return { description, unverified };
  },
  async load(repositories, context) {
    const loaded: LoadedRpmRepository[] = [];
    const cache = createMetadataCache(metadataCacheDir(context.stateDir), context.reporter);
    for (const repository of repositories) {
      loaded.push(
        await inStage(`load the RPM metadata of ${repository.name}`, async () => {
          let keyring: Promise<Keyring> | undefined;
          const loadKeyring = () =>
            (keyring ??= inStage(`load the signing keys of ${repository.name}`, async () => {
              const trusted = await trustedKeysFor(context.spec, repository, {
                keyDirs: context.keyDirs,
                fetcher: context.fetcher,
              });
              return createKeyring(trusted.flatMap((key) => readPublicKeys(key.bytes, key.file)));
            }));
          await assertLocalIndex(repository.url, RPM_INDEX);
          const source = fetchedRepoSource(repository.url, context.fetcher, repository.name);
          // Metadata is checked only when the variant asks (dnf's repo_gpgcheck, off by default):
          // then repomd.xml.asc must be there and verify with the repository's keys. Every
          // package's own signature is required either way.
          const checkMetadata = context.verify && repository.signedMetadata;
          const loadedRepository = await loadRpmRepository(source, {
            name: repository.name,
            priority: repository.priority,
            requireSignature: checkMetadata,
            arch: context.spec.arch,
            cache,
            ...(checkMetadata ? { keyring: loadKeyring } : {}),
          });
          return { repository: loadedRepository, keyring: loadKeyring };
        }),
      );
    }
    return rpmUniverse(loaded, context);
  },
};

function rpmUniverse(
  loaded: readonly LoadedRpmRepository[],
  context: BackendContext,
): PackageUniverse {
  return {
    repositories: loaded.map(({ repository }) => ({
      name: repository.name,
      url: repository.url,
      packages: repository.packages.length,
    })),
    async resolve(request) {
      const resolution = await resolveRpm(
        loaded.map(({ repository }) => repository),
        request,
        { arch: context.spec.arch, installWeakDeps: context.spec.installWeakDeps },
      );
      // Installed in rpm's order: filesystem's /lib → usr/lib links before what lands there.
      const packages = rpmInstallOrder(resolution.packages).map((pkg): ResolvedPackage => {
        const reason = resolution.reasons.get(`${pkg.name}.${pkg.arch}`);
        return {
          name: pkg.name,
          version: formatEvr(pkg.evr),
          arch: pkg.arch,
          repository: pkg.repository,
          size: pkg.packageSize,
          location: pkg.location,
          ...(pkg.locationBase === undefined ? {} : { locationBase: pkg.locationBase }),
          checksum: { type: pkg.checksum.type, value: pkg.checksum.value },
          reason: reason === undefined ? 'requested' : describeReason(reason),
          buildTime: pkg.buildTime,
          ...(pkg.license === undefined ? {} : { license: pkg.license }),
        };
      });
      return {
        family: 'rpm',
        packages,
        warnings: resolution.warnings,
        graph: resolution.graph,
      };
    },
    async fetch(resolution) {
      const requests = resolution.packages.map((pkg) => ({
        pkg,
        repository: repositoryFor(pkg, loaded, ({ repository }) => repository.name),
      }));
      const files = await context.fetcher.fetchAll(
        requests.map(({ pkg, repository }) => ({
          mirrors: [pkg.locationBase ?? repository.repository.url],
          path: pkg.location,
          label: `${pkg.name}-${pkg.version}.${pkg.arch}`,
          expected: {
            size: pkg.size,
            ...(isDigestAlgorithm(pkg.checksum.type)
              ? {
                  digest: {
                    algorithm: pkg.checksum.type,
                    hex: pkg.checksum.value.toLowerCase(),
                  },
                }
              : {}),
          },
        })),
      );
      return Promise.all(
        requests.map(async ({ pkg, repository }, index): Promise<VerifiedPackage> => {
          const fetched = files[index];
          if (!fetched) throw new Error(`no download for ${pkg.name}`);
          const checked = await Promise.all([
            readRpmHeaders(fetched.file),
            repository.keyring().then((keyring) =>
              // entries() below checks the uncompressed payload as it extracts it.
              verifyRpm(fetched.file, {
                keyring,
                requireSignature: context.verify,
                uncompressedCheckedOnExtraction: true,
              }),
            ),
          ]).catch(async (error: unknown) => {
            await context.fetcher.discard(fetched);
            throw await withIsoKeyHint(error, repository.repository.url);
          });
          const [headers, report] = checked;
          return {
            package: pkg,
            file: fetched.file,
            digest: fetched.digest,
            signer: report.signatures.find((check) => check.signer !== undefined)?.signer?.primary,
            scripts: headers.scripts,
            replaces: [],
            entries: () => streamRpmEntries(fetched.file, { headers }),
          };
        }),
      );
    },
  };
}

function isDigestAlgorithm(type: string): type is DigestAlgorithm {
  return ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(type);
}

/** A package that does not verify or cannot be read past its headers, as opposed to a bug. */
function isPackageProblem(error: unknown): error is PackageVerifyError | PackageFormatError {
  return error instanceof PackageVerifyError || error instanceof PackageFormatError;
}
