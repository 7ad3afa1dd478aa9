import { joinRootPath } from './root-view.ts';
import type { RootView } from './root-view.ts';

/** A firmware file a module names (`firmware=` in its modinfo) and where the image has it. */
export interface FirmwareFile {
  readonly module: string;
  /** The name as the module gives it, e.g. `rtl_nic/rtl8125b-2.fw`. */
  readonly name: string;
  /** The file in the image, compressed or not, or undefined when the image lacks it. */
  readonly path: string | undefined;
}

/** The folders the kernel searches for firmware, in its order. */
function firmwareDirs(kernelVersion: string): string[] {
  return [
    `/lib/firmware/updates/${kernelVersion}`,
    '/lib/firmware/updates',
    `/lib/firmware/${kernelVersion}`,
    '/lib/firmware',
  ];
}

/**
 * The kernel loads `name` as it is or, built with compressed firmware support, as `name.zst`
 * or `name.xz` (Alpine ships linux-firmware zstd-compressed). Files are copied as they are:
 * decompressing them is the kernel's business, and it knows whether it can.
 */
const FIRMWARE_SUFFIXES = ['', '.zst', '.xz'];

/** Where the image has each firmware file the given modules name, searched as the kernel does. */
export async function findFirmware(
  root: RootView,
  kernelVersion: string,
  modules: readonly { readonly name: string; readonly firmware: readonly string[] }[],
): Promise<FirmwareFile[]> {
  const found: FirmwareFile[] = [];
  for (const module of modules) {
    for (const name of module.firmware) {
      found.push({ module: module.name, name, path: await locate(root, kernelVersion, name) });
    }
  }
  return found;
}

async function locate(
  root: RootView,
  kernelVersion: string,
  name: string,
): Promise<string | undefined> {
  for (const dir of firmwareDirs(kernelVersion)) {
    for (const suffix of FIRMWARE_SUFFIXES) {
      const path = joinRootPath(dir, `${name}${suffix}`);
      const stat = await root.stat(path);
      if (stat?.type === 'file' || (stat?.type === 'symlink' && (await root.readFile(path)))) {
        return path;
      }
    }
  }
  return undefined;
}
