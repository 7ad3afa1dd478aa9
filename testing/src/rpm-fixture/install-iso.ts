import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHost, checkHost, createRunner } from '@levitate/tools';
import type { Runner } from '@levitate/tools';
import { RPM_FIXTURE_EPOCH, RPM_REPOSITORIES, repositoryDir } from './build-repository.ts';
import { INSTALL_ISO_TOOLS } from './host-requirements.ts';
import { ROCKY_RELEASE } from './release-package.ts';

export interface BuildInstallIsoOptions {
  /** A built fixture: `BaseOS/x86_64/os` and `AppStream/x86_64/os` (`RPM_REPO_DIR`). */
  readonly repoRoot: string;
  /** The ISO file to write. */
  readonly out: string;
  /** ISO 9660 volume id, at most 32 characters: `Rocky-10-0-x86_64-dvd`. */
  readonly volumeId: string;
  /** Date of the volume and of every file, seconds since the epoch; the fixture epoch by default. */
  readonly epoch?: number;
  readonly runner?: Runner;
}

/** `.treeinfo` as productmd writes it for a Rocky DVD: both repositories as variants. */
export function treeinfoText(epoch: number): string {
  const variant = (name: string) =>
    [
      `[variant-${name}]`,
      `id = ${name}`,
      `name = ${name}`,
      `packages = ${name}/Packages`,
      `repository = ${name}`,
      'type = variant',
      `uid = ${name}`,
      '',
    ].join('\n');
  return [
    '[header]',
    'type = productmd.treeinfo',
    'version = 1.2',
    '',
    '[release]',
    'name = Rocky Linux',
    'short = Rocky',
    `version = ${ROCKY_RELEASE}`,
    '',
    '[general]',
    'arch = x86_64',
    'family = Rocky Linux',
    `name = Rocky Linux ${ROCKY_RELEASE}`,
    'packagedir = BaseOS/Packages',
    'platforms = x86_64',
    'repository = BaseOS',
    `timestamp = ${epoch}`,
    'variant = BaseOS',
    'variants = AppStream,BaseOS',
    `version = ${ROCKY_RELEASE}`,
    '',
    '[tree]',
    'arch = x86_64',
    `build_timestamp = ${epoch}`,
    'platforms = x86_64',
    'variants = AppStream,BaseOS',
    '',
    variant('AppStream'),
    variant('BaseOS'),
  ].join('\n');
}

/** `media.repo`, which names the disc as a repository source. */
export function mediaRepoText(epoch: number): string {
  return [
    '[InstallMedia]',
    `name=Rocky Linux ${ROCKY_RELEASE} (LevitateOS fixture)`,
    `mediaid=${epoch}.000000`,
    'metadata_expire=-1',
    'gpgcheck=0',
    'cost=500',
    '',
  ].join('\n');
}

/** `YYYYMMDDhhmmsscc`, the 16-digit date mkisofs options take. */
function isoDate(epoch: number): string {
  return `${new Date(epoch * 1000).toISOString().replace(/\D/g, '').slice(0, 14)}00`;
}

/**
 * A Rocky-install-ISO-shaped image of the fixture for end-to-end tests: `/BaseOS` and
 * `/AppStream` with their `Packages/` and `repodata/`, `/media.repo` and `/.treeinfo`, Rock Ridge
 * and Joliet; every date (volume and files) is `epoch`, so that one fixture gives one image.
 */
export async function buildInstallIso(options: BuildInstallIsoOptions): Promise<string> {
  assertHost(await checkHost(INSTALL_ISO_TOOLS));
  const runner = options.runner ?? createRunner();
  const epoch = options.epoch ?? RPM_FIXTURE_EPOCH;
  if (options.volumeId.length > 32) {
    throw new Error(`volume id ${options.volumeId} is longer than 32 characters`);
  }
  const scratch = await mkdtemp(join(tmpdir(), 'rpm-install-iso-'));
  try {
    await writeFile(join(scratch, 'media.repo'), mediaRepoText(epoch));
    await writeFile(join(scratch, 'treeinfo'), treeinfoText(epoch));
    const grafts = RPM_REPOSITORIES.flatMap((repository) => {
      const dir = repositoryDir(options.repoRoot, repository);
      return [
        `/${repository}/Packages=${join(dir, 'Packages')}`,
        `/${repository}/repodata=${join(dir, 'repodata')}`,
      ];
    });
    const date = isoDate(epoch);
    await rm(options.out, { force: true });
    await runner.run(
      [
        'xorriso',
        '-no_rc',
        '-as',
        'mkisofs',
        '-quiet',
        '-output',
        options.out,
        '-volid',
        options.volumeId,
        '-rational-rock',
        '-joliet',
        '-joliet-long',
        '--modification-date=' + date,
        '-graft-points',
        ...grafts,
        `/media.repo=${join(scratch, 'media.repo')}`,
        `/.treeinfo=${join(scratch, 'treeinfo')}`,
        '--',
        '-volume_date',
        'all_file_dates',
        `=${epoch}`,
      ],
      { env: { SOURCE_DATE_EPOCH: String(epoch) }, timeoutMs: 600_000 },
    );
    return options.out;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
