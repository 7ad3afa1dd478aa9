import type { VariantSpec } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import type { BackendContext } from '../backend/index.ts';
import type { Runner } from '../core/run.ts';
import type { Reporter } from '../core/step.ts';
import type { EfiSigner } from '../secure-boot/efi-signer.ts';
import type { StageCacheSettings } from '../stage-cache/index.ts';
import type { LockUse } from './package-set.ts';
import type { RepositoryOrigin } from './repository-sources.ts';

export type SquashfsCompression = 'xz' | 'zstd';

/** Mutable build state, apart from the frozen spec: where things go and how to report. */
export interface BuildContext {
  readonly spec: VariantSpec;
  /** What the package backend reads with: fetcher, trusted keys, verification, state. */
  readonly backend: BackendContext;
  /** Who chose the spec's repositories; the report records it beside every file's source. */
  readonly repositoryOrigin: RepositoryOrigin;
  readonly reporter: Reporter;
  readonly runner: Runner;
  /** Scratch space for this build; removed when the build ends. */
  readonly workDir: string;
  /** Where the ISO, its checksum and the report go (`dist/<id>`). */
  readonly outDir: string;
  /** Content-addressed store of file contents extracted from packages. */
  readonly contentDir: string;
  /** Lets other builds write the cache; called once this build writes it no more. */
  readonly releaseCache: () => Promise<void>;
  readonly compression: SquashfsCompression;
  /**
   * Where compressed squashfs blocks, the initramfs, the UKIs and the ESP image are kept between
   * builds, and its bound; without it every build makes them all.
   */
  readonly stageCache?: StageCacheSettings;
  /** SOURCE_DATE_EPOCH when given; otherwise derived from the inputs once they are known. */
  readonly sourceDateEpoch: number | undefined;
  /** Signs systemd-boot and the UKIs for Secure Boot; unsigned without it. */
  readonly secureBoot?: EfiSigner;
  /** The variant's lock file: built from (`--locked`), or compared with what was resolved. */
  readonly lock?: LockUse;
}

/** The epoch every timestamp of the build uses: SOURCE_DATE_EPOCH, or the newest package's build time. */
export function buildEpoch(
  context: Pick<BuildContext, 'sourceDateEpoch'>,
  packageBuildTimes: readonly number[],
): number {
  if (context.sourceDateEpoch !== undefined) return context.sourceDateEpoch;
  const newest = Math.max(0, ...packageBuildTimes.filter((time) => Number.isFinite(time)));
  return newest;
}

/** SOURCE_DATE_EPOCH from the environment, validated. */
export function sourceDateEpochFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env['SOURCE_DATE_EPOCH'];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value))
    throw new UserError(
      'source-date-epoch-invalid',
      `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got "${value}"`,
      { hint: 'set it to a number such as 1725580800, or unset it to use the newest package' },
    );
  return Number(value);
}
