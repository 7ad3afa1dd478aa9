import type { Runner } from '../core/run.ts';

/** One file or folder of the ISO 9660 tree and where it comes from on the host. */
export interface IsoGraft {
  readonly isoPath: string;
  readonly source: string;
}

export interface HybridIsoOptions {
  readonly output: string;
  readonly volumeLabel: string;
  /** Publisher and application ids recorded in the volume descriptor. */
  readonly publisher: string;
  readonly application: string;
  readonly grafts: readonly IsoGraft[];
  /** BIOS: the GRUB El Torito image's path inside the ISO, and the hybrid MBR on the host. */
  readonly bios: { readonly eltoritoImage: string; readonly hybridMbr: string };
  /** UEFI: the ESP image on the host, appended as GPT partition 2 and used as El Torito EFI image. */
  readonly espImage: string;
  readonly epoch: number;
}

/**
 * The xorriso command line (mkisofs emulation) that makes one image boot four ways: BIOS and
 * UEFI, as a CD (El Torito) and as a raw disk (MBR/GPT). Everything that xorriso would take
 * from the clock comes from `epoch`.
 */
export function hybridIsoArgs(options: HybridIsoOptions): string[] {
  return [
    'xorriso',
    '-no_rc',
    '-as',
    'mkisofs',
    '-iso-level',
    '3',
    '-full-iso9660-filenames',
    '-joliet',
    '-joliet-long',
    '-rational-rock',
    '-volid',
    options.volumeLabel,
    '-publisher',
    options.publisher,
    '-appid',
    options.application,
    '-preparer',
    options.application,
    '--modification-date=' + isoDate(options.epoch),
    // Rock Ridge records every file's mtime, atime and ctime; ctime cannot be set on the host.
    '--set_all_file_dates',
    isoDate(options.epoch),
    '-eltorito-boot',
    options.bios.eltoritoImage.replace(/^\//, ''),
    '-no-emul-boot',
    '-boot-load-size',
    '4',
    '-boot-info-table',
    '--grub2-boot-info',
    '--grub2-mbr',
    options.bios.hybridMbr,
    '-partition_offset',
    '16',
    '--mbr-force-bootable',
    '-append_partition',
    '2',
    '0xef',
    options.espImage,
    '-appended_part_as_gpt',
    '-eltorito-alt-boot',
    '-e',
    '--interval:appended_partition_2:all::',
    '-no-emul-boot',
    '-output',
    options.output,
    '-graft-points',
    ...[...options.grafts]
      .sort((a, b) => a.isoPath.localeCompare(b.isoPath))
      .map((graft) => `${graft.isoPath}=${graft.source}`),
  ];
}

export async function masterHybridIso(runner: Runner, options: HybridIsoOptions): Promise<void> {
  await runner.run(hybridIsoArgs(options), {
    env: { SOURCE_DATE_EPOCH: String(options.epoch) },
  });
}

/** `YYYYMMDDhhmmss00` in UTC, the form xorriso takes for fixed volume dates. */
function isoDate(epoch: number): string {
  const date = new Date(epoch * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}00`
  );
}
