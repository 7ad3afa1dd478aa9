import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactName } from '@levitate/distro-spec/artifacts';
import { assembleUki, buildBootMedia, ukiInputs } from '../boot/index.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import type { ContentStore } from '../rootfs/index.ts';
import { MAKE_EVERY_TIME } from '../stage-cache/index.ts';
import type { ArtifactCache } from '../stage-cache/index.ts';
import type { BuildContext } from './context.ts';
import type { ImageKernel } from './kernel.ts';
import { defined } from '../core/errors.ts';

export interface MediaResult {
  readonly iso: string;
  readonly liveUki: string;
  readonly esp: string;
  readonly slotUkis: readonly string[];
}

/** The per-slot UKIs for the installer, the live UKI on the ESP, and the hybrid ISO around them all. */
export async function buildMedia(
  context: BuildContext,
  inputs: {
    kernel: ImageKernel;
    store: ContentStore;
    initramfs: string;
    squashfs: string;
    epoch: number;
  },
  cache: ArtifactCache = MAKE_EVERY_TIME,
): Promise<MediaResult> {
  const { spec } = context;
  const kernelFile = inputs.store.path(inputs.kernel.image.content.sha256);
  const osRelease = Object.entries(spec.osRelease)
    .map(([key, value]) => `${key}="${value}"`)
    .join('\n')
    .concat('\n');
  const sbat = [
    `${spec.id},1,${spec.name},${spec.id},${spec.version},${spec.osRelease['HOME_URL'] ?? ''}`,
  ];
  const [stubBytes, kernelBytes, initrdBytes] = await Promise.all([
    readFile(HOST_TOOLS.systemdStub.path),
    readFile(kernelFile),
    readFile(inputs.initramfs),
  ]);
  const stub = new Uint8Array(stubBytes);
  const slotUkis: string[] = [];
  for (const slot of spec.boot.slots) {
    const file = join(context.workDir, slot.uki);
    const uki = {
      linux: new Uint8Array(kernelBytes),
      initrd: new Uint8Array(initrdBytes),
      osRelease,
      cmdline: slot.cmdline.join(' '),
      uname: inputs.kernel.version,
      sbat,
      timestamp: inputs.epoch,
    };
    await cache.file(
      `UKI ${slot.uki}`,
      async () => ukiInputs(stub, uki),
      file,
      () => writeFile(file, assembleUki(stub, uki)),
    );
    await context.secureBoot?.signFile(file, `the UKI of slot ${slot.slot}`);
    slotUkis.push(file);
  }
  const iso = join(context.workDir, artifactName(spec, { kind: 'iso' }));
  const media = await buildBootMedia(context.runner, {
    workDir: context.workDir,
    output: iso,
    volumeLabel: spec.boot.live.volumeLabel,
    title: `${spec.prettyName} (live)`,
    publisher: spec.name,
    kernel: kernelFile,
    initrd: inputs.initramfs,
    uname: inputs.kernel.version,
    osRelease,
    cmdline: spec.boot.live.cmdline,
    liveUkiName: spec.boot.live.uki,
    sbat,
    epoch: inputs.epoch,
    cache,
    ...(context.secureBoot === undefined ? {} : { secureBoot: context.secureBoot }),
    grafts: [
      { isoPath: '/LiveOS/squashfs.img', source: inputs.squashfs },
      ...slotUkis.map((file, index) => ({
        isoPath: `/boot/uki/${defined(spec.boot.slots[index], `boot slot ${index + 1}`).uki}`,
        source: file,
      })),
    ],
  });
  return { iso: media.iso, liveUki: media.liveUki, esp: media.esp, slotUkis };
}
