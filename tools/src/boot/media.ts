import { createHash } from 'node:crypto';
import { copyFile, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '../core/run.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { ENROLMENT_FILES } from '../secure-boot/efi-signer.ts';
import type { EfiSigner } from '../secure-boot/efi-signer.ts';
import { MAKE_EVERY_TIME } from '../stage-cache/index.ts';
import type { ArtifactCache } from '../stage-cache/index.ts';
import { espInputs, ukiInputs } from './artifact-inputs.ts';
import { buildEsp } from './esp.ts';
import type { EspOptions } from './esp.ts';
import { GRUB_PREFIX, buildGrubBiosImage, grubConfig } from './grub.ts';
import { assembleUki } from './uki.ts';
import { masterHybridIso } from './xorriso.ts';
import type { IsoGraft } from './xorriso.ts';

export interface BootMediaInput {
  readonly workDir: string;
  readonly output: string;
  readonly volumeLabel: string;
  readonly title: string;
  readonly publisher: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly uname: string;
  readonly osRelease: string;
  readonly cmdline: readonly string[];
  /** File name of the live UKI in the ESP's EFI/Linux (from distro-spec's artifactName). */
  readonly liveUkiName: string;
  readonly sbat: readonly string[];
  /** More files for the ISO 9660 tree: the root image, per-slot UKIs. */
  readonly grafts: readonly IsoGraft[];
  readonly epoch: number;
  /** The EFI stub to build UKIs on; the host's systemd-boot-efi stub by default. */
  readonly stub?: string;
  /** Where the live UKI and the ESP image are kept between builds; none by default. */
  readonly cache?: ArtifactCache;
  /** Signs systemd-boot and the live UKI, and brings the keys to enrol; unsigned without it. */
  readonly secureBoot?: EfiSigner;
}

export interface BootMediaOutput {
  readonly liveUki: string;
  readonly esp: string;
  readonly iso: string;
}

const MENU_TIMEOUT_SECONDS = 2;

/**
 * Makes the boot media of a live ISO: the live UKI on an ESP with systemd-boot for UEFI, GRUB
 * with kernel + initramfs for BIOS (a UKI cannot be started by a BIOS loader), and one hybrid
 * ISO that boots from CD and USB on both.
 */
export async function buildBootMedia(
  runner: Runner,
  input: BootMediaInput,
): Promise<BootMediaOutput> {
  const kernel = new Uint8Array(await readFile(input.kernel));
  const initrd = new Uint8Array(await readFile(input.initrd));
  const stub = new Uint8Array(await readFile(input.stub ?? HOST_TOOLS.systemdStub.path));
  const cache = input.cache ?? MAKE_EVERY_TIME;
  const liveUki = join(input.workDir, input.liveUkiName);
  const uki = {
    linux: kernel,
    initrd,
    osRelease: input.osRelease,
    cmdline: input.cmdline.join(' '),
    uname: input.uname,
    sbat: input.sbat,
    timestamp: input.epoch,
  };
  await cache.file(
    'live UKI',
    async () => ukiInputs(stub, uki),
    liveUki,
    () => writeFile(liveUki, assembleUki(stub, uki)),
  );
  let bootManager = HOST_TOOLS.systemdBoot.path;
  if (input.secureBoot !== undefined) {
    await input.secureBoot.signFile(liveUki, 'the live UKI');
    bootManager = join(input.workDir, 'BOOTX64.EFI');
    await copyFile(HOST_TOOLS.systemdBoot.path, bootManager);
    await input.secureBoot.signFile(bootManager, 'systemd-boot');
  }
  const enrolment = input.secureBoot?.enrolment;

  const loaderConf = join(input.workDir, 'loader.conf');
  await writeFile(
    loaderConf,
    [
      `timeout ${MENU_TIMEOUT_SECONDS}`,
      `default ${input.liveUkiName}`,
      'console-mode keep',
      ...(enrolment === undefined ? [] : [`secure-boot-enroll ${enrolment.mode}`]),
      '',
    ].join('\n'),
  );
  const esp = join(input.workDir, 'esp.img');
  const espOptions: EspOptions = {
    image: esp,
    label: 'EFIBOOT',
    volumeId: volumeIdFrom(input.volumeLabel, input.epoch),
    epoch: input.epoch,
    files: [
      { path: '/EFI/BOOT/BOOTX64.EFI', source: bootManager },
      { path: '/loader/loader.conf', source: loaderConf },
      { path: `/EFI/Linux/${input.liveUkiName}`, source: liveUki },
      ...(enrolment === undefined
        ? []
        : ENROLMENT_FILES.map((name) => ({
            path: `/loader/keys/${enrolment.name}/${name}`,
            source: enrolment.files[name],
          }))),
    ],
  };
  await cache.file(
    'ESP image',
    () => espInputs(espOptions),
    esp,
    () => buildEsp(runner, espOptions),
  );
  await utimes(esp, input.epoch, input.epoch);

  const eltorito = join(input.workDir, 'eltorito.img');
  await buildGrubBiosImage(runner, {
    output: eltorito,
    earlyConfig: join(input.workDir, 'grub-early.cfg'),
    volumeLabel: input.volumeLabel,
  });
  const grubCfg = join(input.workDir, 'grub.cfg');
  await writeFile(
    grubCfg,
    grubConfig(
      [
        {
          title: input.title,
          kernel: '/boot/vmlinuz',
          initrd: '/boot/initramfs.img',
          cmdline: input.cmdline,
        },
      ],
      MENU_TIMEOUT_SECONDS,
    ),
  );

  await masterHybridIso(runner, {
    output: input.output,
    volumeLabel: input.volumeLabel,
    publisher: input.publisher,
    application: input.title,
    bios: {
      eltoritoImage: `${GRUB_PREFIX}/eltorito.img`,
      hybridMbr: HOST_TOOLS.grubBootHybrid.path,
    },
    espImage: esp,
    epoch: input.epoch,
    grafts: [
      { isoPath: '/boot/vmlinuz', source: input.kernel },
      { isoPath: '/boot/initramfs.img', source: input.initrd },
      { isoPath: `${GRUB_PREFIX}/eltorito.img`, source: eltorito },
      { isoPath: `${GRUB_PREFIX}/grub.cfg`, source: grubCfg },
      ...input.grafts,
    ],
  });
  return { liveUki, esp, iso: input.output };
}

/** A FAT serial number derived from the label and epoch, so it is stable across builds. */
function volumeIdFrom(label: string, epoch: number): string {
  return createHash('sha256').update(`${label}:${epoch}`).digest('hex').slice(0, 8);
}
