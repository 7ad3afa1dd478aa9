import { LIVE_INIT_COMMANDS, OPTIONAL_INIT_COMMANDS } from './init-script.ts';

/**
 * The kernel modules the live ISO and the installed slots need to find and mount their root on
 * PCs and virtual machines: the live medium, and ext4, xfs or vfat on virtio, NVMe, AHCI or USB.
 * The generic crc implementations come before the drivers that use them: sd_mod needs t10-pi,
 * whose crc-t10dif and crc64-rocksoft look their algorithms up at load time, and the
 * accelerated crct10dif-pclmul fails under QEMU's TCG. Which of them a build cannot do
 * without is liveBootModules' choice (boot-modules.ts).
 */
export const LIVE_BOOT_MODULES: readonly string[] = [
  'crct10dif_generic',
  'crc64_rocksoft_generic',
  // storage controllers and disks
  'ata_piix',
  'ahci',
  'sr_mod',
  'sd_mod',
  'virtio_pci',
  'virtio_blk',
  'virtio_scsi',
  'nvme',
  'xhci_pci',
  'xhci_hcd',
  'ehci_pci',
  'usb_storage',
  'uas',
  // file systems
  'cdrom',
  'isofs',
  'squashfs',
  'loop',
  'overlay',
  // installed systems: ext4 and xfs look crc32c up at mount time; vfat (with its default
  // codepage and iocharset) for the ESP
  'crc32c_generic',
  'libcrc32c',
  'ext4',
  'xfs',
  'nls_cp437',
  'nls_iso8859_1',
  'nls_ascii',
  'vfat',
];

export interface InitramfsShell {
  /** The shell in the image: `/bin/busybox`, `/bin/bash`, `/bin/sh`. */
  readonly path: string;
  /** Absolute paths made links to `path` (busybox applets); none for a real shell. */
  readonly links?: readonly string[];
}

/** Busybox as the shell, with applet links for /bin/sh, what /init runs and a few helpers. */
export function busyboxShell(path = '/bin/busybox'): InitramfsShell {
  const applets = [
    ...new Set([
      'sh',
      ...LIVE_INIT_COMMANDS,
      ...OPTIONAL_INIT_COMMANDS,
      'umount',
      'ls',
      'modprobe',
      'echo',
    ]),
  ];
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  return { path, links: applets.sort().map((applet) => `${dir === '/' ? '' : dir}/${applet}`) };
}
