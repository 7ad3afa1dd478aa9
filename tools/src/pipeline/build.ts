import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSquashfs } from '../rootfs/index.ts';
import { StageCache, describeStageCache } from '../stage-cache/index.ts';
import type { StageCacheReport } from '../stage-cache/index.ts';
import type { BlockCacheStats } from '@levitate/squashfs';
import type { Resolution, VerifiedPackage } from '../backend/index.ts';
import { spdxDocument } from '../sbom/spdx.ts';
import type { SbomInput } from '../sbom/spdx.ts';
import { broughtInBy } from '../why/index.ts';
import { buildEpoch } from './context.ts';
import type { BuildContext } from './context.ts';
import { assertRoomForIso } from './free-space.ts';
import { buildLiveInitramfs } from './initramfs-stage.ts';
import { findKernel } from './kernel.ts';
import { buildMedia } from './media-stage.ts';
import { readSquashfsCosts } from './squashfs-cost.ts';
import { checkLockedFiles, choosePackageSet } from './package-set.ts';
import { publishArtifacts } from './publish-stage.ts';
import type { BuildReport, SecureBootReport } from './report.ts';
import type { EfiSigner } from '../secure-boot/efi-signer.ts';
import { loadRepositories } from './repository-sources.ts';
import { buildRootfs } from './rootfs-stage.ts';
import { StageClock } from './stage-clock.ts';

const SQUASHFS_COMPRESSORS = {
  xz: { kind: 'xz', bcj: 'x86' },
  zstd: { kind: 'zstd', level: 15 },
} as const;

/**
 * Builds a variant's live ISO: resolve → fetch → rootfs → squashfs → initramfs → UKIs, ESP
 * and ISO → publish. Every stage's time and output size go into the report.
 */
export async function buildLiveIso(context: BuildContext): Promise<BuildReport> {
  const { spec } = context;
  const clock = new StageClock(context.reporter);
  const cache =
    context.stageCache === undefined
      ? undefined
      : await StageCache.open(context.stageCache, (message) => context.reporter.warn(message));
  const { universe, ledger } = await clock.run('load the repositories', () =>
    loadRepositories(spec, context.backend, context.repositoryOrigin),
  );
  const packageSet = await clock.run('resolve the packages', () =>
    choosePackageSet(context, universe),
  );
  const { resolution } = packageSet;
  await assertRoomForIso(context, resolution.packages);
  const packages = await clock.run('fetch and verify the packages', async () => {
    const fetched = await universe.fetch(resolution);
    checkLockedFiles(context, packageSet, fetched);
    return fetched;
  });
  const epoch =
    context.sourceDateEpoch ??
    packageSet.locked?.epoch ??
    buildEpoch(
      context,
      resolution.packages.map((pkg) => pkg.buildTime ?? 0),
    );

  const rootfs = await clock.run('build the root filesystem', () =>
    buildRootfs(context, packages, epoch, cache),
  );
  await context.releaseCache();
  const squashfs = join(context.workDir, 'squashfs.img');
  const image = await clock.run(
    'write the squashfs',
    () =>
      writeSquashfs(rootfs.tree, rootfs.store, squashfs, {
        compressor: SQUASHFS_COMPRESSORS[context.compression],
        mkfsTime: epoch,
        packages: new Set(packages.map((pkg) => pkg.package.name)),
        ...(cache === undefined ? {} : { blockCache: cache.blocksDir }),
      }),
    (summary) => summary.bytes,
  );
  const squashfsCosts = await readSquashfsCosts(squashfs, rootfs.tree);
  const kernel = await findKernel(rootfs.tree, spec.kernel.package);
  const initramfs = join(context.workDir, 'initramfs.img');
  const initrd = await clock.run(
    'build the initramfs',
    async () => {
      const result = await buildLiveInitramfs(rootfs.tree, kernel, spec, epoch, cache);
      await writeFile(initramfs, result.bytes);
      return result;
    },
    (result) => result.bytes.length,
  );
  const media = await clock.run('master the ISO', () =>
    buildMedia(context, { kernel, store: rootfs.store, initramfs, squashfs, epoch }, cache),
  );
  const stageCache =
    cache === undefined ? undefined : await finishStageCache(context, cache, image.blockCache);
  const broughtBy = broughtInBy(resolution.graph ?? { roots: [], edges: [] });
  return clock.run('publish the artifacts', () =>
    publishArtifacts(
      context,
      media.iso,
      {
        variant: spec.variant,
        id: spec.id,
        version: spec.version,
        epoch,
        repositories: ledger.sources(),
        packages: resolution.packages.map(({ name, version, arch, repository, size }) => {
          const request = broughtBy.get(name);
          const squashfsBytes = squashfsCosts.get(name);
          return {
            name,
            version,
            arch,
            repository,
            size,
            ...(request === undefined ? {} : { broughtInBy: request }),
            ...(squashfsBytes === undefined ? {} : { squashfsBytes }),
          };
        }),
        stages: clock.records,
        ...(stageCache === undefined ? {} : { stageCache }),
        ...(context.secureBoot === undefined
          ? {}
          : { secureBoot: secureBootReport(context.secureBoot) }),
        scriptsNotRun: rootfs.effects.scriptsNotRun,
        security: rootfs.security,
        effects: rootfs.effects.effects,
        notes: [
          ...packageSet.notes,
          ...rootfs.notes,
          ...initrd.report.missingModules.map(
            (module) =>
              `initramfs: optional kernel module ${module} is neither built in nor shipped`,
          ),
          ...initrd.report.missingFirmware.map(
            (wanted) =>
              `initramfs: firmware ${wanted} is not in the image (the module loads without it or fails)`,
          ),
        ],
      },
      { sbom: (iso) => spdxDocument(sbomInput(context, packages, resolution, epoch, iso)) },
    ),
  );
}

/** What the SBOM says of a build: the ISO, each installed package file and the dependencies. */
function sbomInput(
  context: BuildContext,
  packages: readonly VerifiedPackage[],
  resolution: Resolution,
  epoch: number,
  iso: { readonly file: string; readonly sha256: string },
): SbomInput {
  return {
    family: context.spec.family,
    supplier: context.spec.name,
    iso: { ...iso, version: context.spec.version },
    epoch,
    tool: 'levitate-tools',
    graph: resolution.graph ?? { roots: [], edges: [] },
    packages: packages.map(({ package: pkg, digest }) => ({
      name: pkg.name,
      version: pkg.version,
      arch: pkg.arch,
      repository: pkg.repository,
      sha256: digest.hex,
      ...(pkg.license === undefined ? {} : { license: pkg.license }),
    })),
  };
}

function secureBootReport(signer: EfiSigner): SecureBootReport {
  const { enrolment } = signer;
  return {
    certificate: {
      subject: signer.key.certificate.subject,
      sha256: signer.key.certificate.fingerprint256,
    },
    signed: [...signer.signed],
    ...(enrolment === undefined
      ? {}
      : { enrolment: { name: enrolment.name, mode: enrolment.mode } }),
  };
}

/** Trims the stage cache to its bound and says what it reused and made. */
async function finishStageCache(
  context: BuildContext,
  cache: StageCache,
  blocks: BlockCacheStats | undefined,
): Promise<StageCacheReport> {
  const report: StageCacheReport = {
    dir: cache.settings.dir,
    maxBytes: cache.settings.maxBytes,
    ...(blocks === undefined ? {} : { blocks }),
    artifacts: cache.outcomes,
    trimmed: await cache.trim(),
  };
  for (const line of describeStageCache(report)) context.reporter.info(line);
  return report;
}
