import type { VariantSpec } from '@levitate/distro-spec';
import {
  buildInitramfs,
  initramfsProgramsFor,
  kernelSupportedCompression,
  liveBootModules,
} from '../initramfs/index.ts';
import type { InitramfsReport } from '../initramfs/index.ts';
import type { ImageTree } from '../rootfs/index.ts';
import type { ImageKernel } from './kernel.ts';
import { treeRootView } from './tree-root.ts';

export interface InitramfsResult {
  readonly bytes: Uint8Array;
  readonly report: InitramfsReport;
}

/**
 * The live initramfs, made only of what the image itself ships: its busybox or its own shell
 * and tools with their libraries, and its kernel's modules. A kernel without a module the boot
 * needs (the live medium's, the file systems of the variant's disk) fails the build.
 */
export async function buildLiveInitramfs(
  tree: ImageTree,
  kernel: ImageKernel,
  spec: Pick<VariantSpec, 'kernel' | 'disk'>,
  epoch: number,
): Promise<InitramfsResult> {
  const root = treeRootView(tree);
  const programs = await initramfsProgramsFor(root);
  const modules = liveBootModules(spec.disk.partitions);
  const output = await buildInitramfs({
    root,
    kernelVersion: kernel.version,
    shell: programs.shell,
    tools: programs.tools,
    modules: modules.wanted,
    required: { modules: modules.required, kernelPackage: spec.kernel.package },
    compression: kernel.config === undefined ? 'gzip' : kernelSupportedCompression(kernel.config),
    epoch,
  });
  return { bytes: output.bytes, report: output.report };
}
