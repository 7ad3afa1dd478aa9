import type { Partition } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { LIVE_BOOT_MODULES } from './live-boot.ts';
import { normalizeModuleName } from './modinfo.ts';
import type { ModuleClosure } from './modules.ts';

/**
 * What the live /init needs on every machine to reach the live medium, whatever its
 * controller: the CD and disk classes (CD-ROM drives, SATA, SCSI and USB disks), ISO 9660,
 * and the squashfs on a loop device under a writable overlay.
 */
export const LIVE_MEDIUM_MODULES: readonly string[] = [
  'cdrom',
  'sr_mod',
  'sd_mod',
  'isofs',
  'squashfs',
  'loop',
  'overlay',
];

/** The module of each file system a partition may have. */
export const FILESYSTEM_MODULES: Readonly<Record<Partition['filesystem'], string>> = {
  vfat: 'vfat',
  ext4: 'ext4',
  xfs: 'xfs',
  btrfs: 'btrfs',
};

/** The kernel modules of a variant's initramfs, and which of them the boot cannot do without. */
export interface BootModules {
  /** Every module to carry, in load order. */
  readonly wanted: readonly string[];
  /**
   * Those without which no machine boots: the live medium's, and the file systems /init
   * mounts an installed slot's root and /var from. A kernel lacking one fails the build.
   * The rest drive one kind of controller, or are helpers newer kernels build in or dropped:
   * a kernel without them still boots where that hardware is absent.
   */
  readonly required: readonly string[];
}

/** The boot modules of a variant whose disk has these partitions. */
export function liveBootModules(
  partitions: readonly Pick<Partition, 'role' | 'filesystem'>[],
): BootModules {
  const mounted = partitions
    .filter((partition) => partition.role !== 'esp')
    .map((partition) => FILESYSTEM_MODULES[partition.filesystem]);
  const required = [...new Set([...LIVE_MEDIUM_MODULES, ...mounted])];
  const wanted = [...new Set([...LIVE_BOOT_MODULES, ...required])];
  return { wanted, required };
}

/** The modules a build must find in its kernel, and the package that kernel comes from. */
export interface RequiredModules {
  readonly modules: readonly string[];
  readonly kernelPackage: string;
}

/** Fails when the kernel has a required module neither as a module nor built in. */
export function assertRequiredModules(closure: ModuleClosure, required: RequiredModules): void {
  const needed = new Set(required.modules.map(normalizeModuleName));
  const missing = closure.missing.filter((name) => needed.has(normalizeModuleName(name)));
  if (missing.length === 0) return;
  const them = missing.length > 1 ? 'them' : 'it';
  throw new UserError(
    'initramfs-module-missing',
    `the kernel ${closure.kernelVersion} from ${required.kernelPackage} has neither as a module ` +
      `nor built in: ${missing.join(', ')}; the live and installed systems cannot find or ` +
      `mount their root without ${them}`,
    {
      hint:
        `add the package that ships ${them} to the variant's packages (the kernel's modules ` +
        `package, beside ${required.kernelPackage}), or use a kernel that has ${them} built in`,
    },
  );
}
