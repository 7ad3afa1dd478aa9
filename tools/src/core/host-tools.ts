import type { HostRequirement } from './host.ts';

function command(command: string, debianPackage: string, reason: string): HostRequirement {
  return Object.freeze({ kind: 'command', command, debianPackage, reason });
}

function file(path: string, debianPackage: string, reason: string): HostRequirement {
  return Object.freeze({ kind: 'file', path, debianPackage, reason });
}

/**
 * Everything the builders may need from a Debian 12 (bookworm) build host, keyed by a short id.
 * Builders pick the entries they use and pass them to `checkHost`.
 */
export const HOST_TOOLS = Object.freeze({
  xorriso: command('xorriso', 'xorriso', 'master the ISO'),
  mkfsFat: command('mkfs.fat', 'dosfstools', 'create the EFI system partition image'),
  mcopy: command('mcopy', 'mtools', 'copy files into the EFI system partition image'),
  mmd: command('mmd', 'mtools', 'create directories in the EFI system partition image'),
  objcopy: command('objcopy', 'binutils', 'assemble unified kernel images'),
  qemuSystemX86: command('qemu-system-x86_64', 'qemu-system-x86', 'boot the ISO in a VM'),
  qemuImg: command('qemu-img', 'qemu-utils', 'create virtual disks for boot tests'),
  rpm: command('rpm', 'rpm', 'query and verify RPM packages'),
  rpmbuild: command('rpmbuild', 'rpm', 'build RPM packages'),
  createrepoC: command('createrepo_c', 'createrepo-c', 'generate RPM repository metadata'),
  dnf: command('dnf', 'dnf', 'install RPM packages into the root filesystem'),
  unsquashfs: command('unsquashfs', 'squashfs-tools', 'unpack squashfs images'),
  mksquashfs: command('mksquashfs', 'squashfs-tools', 'create the squashfs root image'),
  rdsquashfs: command('rdsquashfs', 'squashfs-tools-ng', 'inspect squashfs images'),
  gensquashfs: command('gensquashfs', 'squashfs-tools-ng', 'create squashfs images from a list'),
  grubMkimage: command('grub-mkimage', 'grub-common', 'build the GRUB boot images'),
  grubBootHybrid: file(
    '/usr/lib/grub/i386-pc/boot_hybrid.img',
    'grub-pc-bin',
    'make the ISO bootable from USB on BIOS machines',
  ),
  isohdpfx: file(
    '/usr/lib/ISOLINUX/isohdpfx.bin',
    'isolinux',
    'write the hybrid MBR for BIOS boot from USB',
  ),
  systemdStub: file(
    '/usr/lib/systemd/boot/efi/linuxx64.efi.stub',
    'systemd-boot-efi',
    'assemble unified kernel images',
  ),
  systemdBoot: file(
    '/usr/lib/systemd/boot/efi/systemd-bootx64.efi',
    'systemd-boot-efi',
    'install the UEFI boot manager',
  ),
  ovmfCode: file('/usr/share/OVMF/OVMF_CODE_4M.fd', 'ovmf', 'boot the ISO in a VM with UEFI'),
  depmod: command('depmod', 'kmod', 'generate kernel module dependency lists'),
  cpio: command('cpio', 'cpio', 'pack the initramfs'),
  zstd: command('zstd', 'zstd', 'compress images and archives with zstd'),
  xz: command('xz', 'xz-utils', 'compress images and archives with xz'),
  bsdtar: command('bsdtar', 'libarchive-tools', 'unpack APK and other archives'),
  rpm2archive: command('rpm2archive', 'rpm', 'unpack RPM payloads without installing them'),
  chroot: command('chroot', 'coreutils', 'run commands inside the root filesystem'),
  openssl: command('openssl', 'openssl', 'create and use signing keys'),
  gpg: command('gpg', 'gpg', 'verify repository signatures'),
} satisfies Record<string, HostRequirement>);

export type HostToolId = keyof typeof HOST_TOOLS;
