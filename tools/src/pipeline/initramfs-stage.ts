import {
  LIVE_BOOT_MODULES,
  buildInitramfs,
  initramfsProgramsFor,
  kernelSupportedCompression,
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
 * and tools with their libraries, and its kernel's modules.
 */
export async function buildLiveInitramfs(
  tree: ImageTree,
  kernel: ImageKernel,
  epoch: number,
): Promise<InitramfsResult> {
  const root = treeRootView(tree);
  const programs = await initramfsProgramsFor(root);
  const output = await buildInitramfs({
    root,
    kernelVersion: kernel.version,
    shell: programs.shell,
    tools: programs.tools,
    modules: LIVE_BOOT_MODULES,
    compression: kernel.config === undefined ? 'gzip' : kernelSupportedCompression(kernel.config),
    epoch,
  });
  return { bytes: output.bytes, report: output.report };
}
