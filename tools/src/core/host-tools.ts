import type { HostNeeds, HostTool } from './host.ts';

function command(
  command: string,
  debianPackage: string,
  needs: HostNeeds,
): Extract<HostTool, { kind: 'command' }> {
  return Object.freeze({ kind: 'command', command, debianPackage, needs: Object.freeze(needs) });
}

function file(
  path: string,
  debianPackage: string,
  needs: HostNeeds,
): Extract<HostTool, { kind: 'file' }> {
  return Object.freeze({ kind: 'file', path, debianPackage, needs: Object.freeze(needs) });
}

/**
 * Every program and data file the project takes from a Debian 12 (bookworm) host, with the
 * package that provides it and, for each use, why. Programs of Debian's required packages
 * (coreutils, util-linux, mount, e2fsprogs, tar, gzip, dpkg, apt, libc-bin), which every Debian
 * system has, are left out.
 */
export const HOST_TOOLS = Object.freeze({
  xorriso: command('xorriso', 'xorriso', {
    build: 'master the hybrid ISO',
    test: 'master the test images and the install-ISO fixture, and read built ISOs back',
    bench: 'master the ISO of the classic tools the build is compared with',
  }),
  mkfsFat: command('mkfs.fat', 'dosfstools', {
    build: 'create the FAT image of the EFI system partition',
  }),
  mmd: command('mmd', 'mtools', {
    build: 'make the folders of the EFI system partition image',
  }),
  mcopy: command('mcopy', 'mtools', {
    build: 'copy systemd-boot and the live UKI into the EFI system partition image',
    test: "read the live UKI back out of a built ISO's EFI image",
  }),
  grubMkimage: command('grub-mkimage', 'grub-common', {
    build: "make GRUB's BIOS El Torito image",
  }),
  grubBootHybrid: file('/usr/lib/grub/i386-pc/boot_hybrid.img', 'grub-pc-bin', {
    build: "provide GRUB's BIOS modules and the hybrid MBR that boots the ISO from USB",
  }),
  systemdStub: file('/usr/lib/systemd/boot/efi/linuxx64.efi.stub', 'systemd-boot-efi', {
    build: 'provide the EFI stub every unified kernel image is built on',
    test: 'provide the EFI stub the unified kernel image tests build on',
  }),
  systemdBoot: file('/usr/lib/systemd/boot/efi/systemd-bootx64.efi', 'systemd-boot-efi', {
    build: 'provide the UEFI boot manager of the EFI system partition',
  }),
  sbverify: command('sbverify', 'sbsigntool', {
    sign: 'check each Secure Boot signature a signed build makes against the signing certificate',
  }),
  sbsign: command('sbsign', 'sbsigntool', {
    test: 'sign EFI images as the reference the Authenticode signer is compared with',
  }),
  pesign: command('pesign', 'pesign', {
    test: 'compute Authenticode digests as a second reference',
  }),
  osslsigncode: command('osslsigncode', 'osslsigncode', {
    test: 'verify Authenticode signatures with a third implementation',
  }),
  openssl: command('openssl', 'openssl', {
    sign: 'make the PK, KEK and db key pairs and certificates of sb-keys',
  }),
  certToEfiSigList: command('cert-to-efi-sig-list', 'efitools', {
    sign: 'turn the sb-keys certificates into EFI signature lists',
  }),
  signEfiSigList: command('sign-efi-sig-list', 'efitools', {
    sign: 'sign the sb-keys signature lists into .auth files for firmware enrolment',
  }),
  depmod: command('depmod', 'kmod', {
    build: 'index the kernel modules of RPM-based images (LevitateOS)',
    test: 'index the host kernel modules of the initramfs tests',
  }),
  modinfo: command('modinfo', 'kmod', {
    test: "read module dependencies as the reference for the initramfs's module closure",
  }),
  qemuSystemX86: command('qemu-system-x86_64', 'qemu-system-x86', {
    run: 'boot the built ISO in a virtual machine',
    test: 'boot the ISOs of the end-to-end tests',
  }),
  uefiFirmware: file('/usr/share/qemu/firmware/60-edk2-x86_64.json', 'ovmf', {
    run: 'find the UEFI firmware (OVMF) of the uefi-cd and uefi-usb boot modes',
    test: 'find the UEFI firmware (OVMF) of the end-to-end UEFI boots',
  }),
  secureBootTestVars: file('/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd', 'ovmf', {
    run: 'boot with the ovmf test key enrolled (--secure-boot test-key)',
    test: 'provide UEFI variables with the ovmf test key enrolled, for the Secure Boot boots',
  }),
  secureBootTestKey: file('/usr/share/ovmf/PkKek-1-snakeoil.key', 'ovmf', {
    test: 'sign the Secure Boot test ISOs with the key the test variables trust',
  }),
  secureBootTestCert: file('/usr/share/ovmf/PkKek-1-snakeoil.pem', 'ovmf', {
    test: 'sign the Secure Boot test ISOs with the key the test variables trust',
  }),
  rpm: command('rpm', 'rpm', {
    test: 'check RPM headers, signatures and version comparison against rpm itself',
  }),
  rpmbuild: command('rpmbuild', 'rpm', {
    test: 'build the RPM test packages and the LevitateOS fixture repository',
  }),
  rpmsign: command('rpmsign', 'rpm', {
    test: 'sign the RPM test packages and the fixture packages',
  }),
  rpmkeys: command('rpmkeys', 'rpm', {
    test: 'import the keys rpm checks test signatures with',
  }),
  createrepoC: command('createrepo_c', 'createrepo-c', {
    test: 'write the metadata of the RPM test and fixture repositories',
  }),
  dnf: command('dnf', 'dnf', {
    test: 'check RPM dependency resolution against dnf itself',
    bench: 'resolve as the reference the RPM benchmark is compared with',
  }),
  rpm2archive: command('rpm2archive', 'rpm2cpio', {
    bench: 'read RPM payloads as the reference the RPM benchmark is compared with',
  }),
  // gpg alone cannot make or use secret keys: that goes through gpg-agent, which gnupg brings.
  gpg: command('gpg', 'gnupg', {
    test: 'make the OpenPGP keys that sign the test packages and the fixture repositories',
  }),
  gpgconf: command('gpgconf', 'gnupg', {
    test: 'stop the gpg-agent of a throwaway keyring',
  }),
  mksquashfs: command('mksquashfs', 'squashfs-tools', {
    test: 'make the squashfs images of the install-tool and boot tests',
    bench: 'write squashfs images as the reference the benchmarks are compared with',
  }),
  unsquashfs: command('unsquashfs', 'squashfs-tools', {
    test: 'read squashfs images back',
    bench: 'unpack the built image for the classic tools',
  }),
  rdsquashfs: command('rdsquashfs', 'squashfs-tools-ng', {
    test: 'read extended attributes back from squashfs images',
  }),
  sqfsdiff: command('sqfsdiff', 'squashfs-tools-ng', {
    test: 'compare squashfs images with the reader of libsquashfs',
  }),
  gensquashfs: command('gensquashfs', 'squashfs-tools-ng', {
    test: 'write squashfs images as the reference of libsquashfs',
  }),
  bsdtar: command('bsdtar', 'libarchive-tools', {
    test: "read files out of the fixture's RPM payloads",
    bench: 'read APK packages as the reference the APK benchmark is compared with',
  }),
  time: command('/usr/bin/time', 'time', {
    bench: 'measure the peak memory of every process the benchmarks run',
  }),
  objcopy: command('objcopy', 'binutils', {
    test: 'assemble unified kernel images as the reference the TypeScript assembler is compared with',
  }),
  objdump: command('objdump', 'binutils', {
    test: 'read the section tables of unified kernel images',
  }),
  readelf: command('readelf', 'binutils', {
    test: 'read ELF dynamic sections as the reference of the initramfs library scan',
  }),
  cpio: command('cpio', 'cpio', {
    test: 'read initramfs archives back',
  }),
  zstd: command('zstd', 'zstd', {
    test: 'compress the fixture repository metadata and the zstd test data',
  }),
  xz: command('xz', 'xz-utils', {
    test: "compress the RPM fixture's kernel modules and the xz test data",
  }),
  zip: command('zip', 'zip', {
    test: 'pack the zip releases the recipe tests install',
  }),
  unzip: command('unzip', 'unzip', {
    test: "unpack a recipe's zip release as the recipe tests install it",
  }),
  bzip2: command('bzip2', 'bzip2', {
    test: 'compress the bzip2 test data',
  }),
  python3: command('python3', 'python3', {
    test: "read capabilities and repository metadata with Python's standard library as a reference",
  }),
  setcap: command('setcap', 'libcap2-bin', {
    test: 'set file capabilities in the capability and install-tool tests',
  }),
  getcap: command('getcap', 'libcap2-bin', {
    test: 'read back the file capabilities the install tools copied',
  }),
  systemctl: command('systemctl', 'systemd', {
    test: 'enable units as the reference the systemd presets effect is compared with',
  }),
  systemdSysusers: command('systemd-sysusers', 'systemd', {
    test: 'create accounts as the reference the sysusers effect is compared with',
  }),
  busybox: command('busybox', 'busybox-static', {
    test: "run /init and the install tools under busybox sh, and index the AcornOS fixture kernel's modules",
  }),
} satisfies Record<string, HostTool>);

export type HostToolId = keyof typeof HOST_TOOLS;
