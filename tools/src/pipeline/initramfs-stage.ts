import type { VariantSpec } from '@levitate/distro-spec';
import {
  buildInitramfs,
  initramfsProgramsFor,
  kernelSupportedCompression,
  liveBootModules,
} from '../initramfs/index.ts';
import type { InitramfsCompression, InitramfsReport, RootView } from '../initramfs/index.ts';
import type { ImageTree } from '../rootfs/index.ts';
import type { StageCache } from '../stage-cache/index.ts';
import { decodeKeptInitramfs, encodeKeptInitramfs } from './kept-initramfs.ts';
import type { ImageKernel } from './kernel.ts';
import { readsStillHold, recordingRootView } from './tree-reads.ts';
import { treeRootView } from './tree-root.ts';

export interface InitramfsResult {
  readonly bytes: Uint8Array;
  readonly report: InitramfsReport;
}

type InitramfsSpec = Pick<VariantSpec, 'kernel' | 'disk'>;

/**
 * The live initramfs, made only of what the image itself ships: its busybox or its own shell
 * and tools with their libraries, and its kernel's modules. A kernel without a module the boot
 * needs (the live medium's, the file systems of the variant's disk) fails the build.
 *
 * With a stage cache, the initramfs made last time for the same kernel, spec, epoch and
 * builder is reused when every file, link and folder it read from the image is unchanged.
 */
export async function buildLiveInitramfs(
  tree: ImageTree,
  kernel: ImageKernel,
  spec: InitramfsSpec,
  epoch: number,
  cache?: StageCache,
): Promise<InitramfsResult> {
  const compression =
    kernel.config === undefined ? 'gzip' : kernelSupportedCompression(kernel.config);
  if (cache === undefined) {
    return makeInitramfs(treeRootView(tree), kernel, spec, epoch, compression);
  }
  const key = cache.key('initramfs', [
    kernel.version,
    compression,
    JSON.stringify(spec.kernel),
    JSON.stringify(spec.disk),
    epoch,
  ]);
  const kept = decodeKeptInitramfs(await cache.recall(key));
  if (kept !== undefined && (await readsStillHold(tree, kept.reads))) {
    cache.reused('initramfs', kept.bytes.length);
    return { bytes: kept.bytes, report: kept.report };
  }
  const recording = recordingRootView(tree);
  const made = await makeInitramfs(recording.view, kernel, spec, epoch, compression);
  await cache.keep('initramfs', key, encodeKeptInitramfs({ ...made, reads: recording.reads() }));
  return made;
}

async function makeInitramfs(
  root: RootView,
  kernel: ImageKernel,
  spec: InitramfsSpec,
  epoch: number,
  compression: InitramfsCompression,
): Promise<InitramfsResult> {
  const programs = await initramfsProgramsFor(root);
  const modules = liveBootModules(spec.disk.partitions);
  const output = await buildInitramfs({
    root,
    kernelVersion: kernel.version,
    shell: programs.shell,
    tools: programs.tools,
    modules: modules.wanted,
    required: { modules: modules.required, kernelPackage: spec.kernel.package },
    compression,
    epoch,
  });
  return { bytes: output.bytes, report: output.report };
}
