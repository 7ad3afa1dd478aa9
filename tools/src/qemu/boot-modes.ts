import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { FIRMWARE_DESCRIPTOR_DIRS, findUefiFirmware } from './firmware.ts';

/** The four ways a user boots a hybrid ISO. */
export interface BootMode {
  readonly firmware: 'bios' | 'uefi';
  readonly medium: 'cd' | 'usb';
  readonly description: string;
}

export const BOOT_MODES = {
  'bios-cd': {
    firmware: 'bios',
    medium: 'cd',
    description: 'SeaBIOS, ISO as an IDE CD-ROM (El Torito)',
  },
  'uefi-cd': {
    firmware: 'uefi',
    medium: 'cd',
    description: 'OVMF, ISO as an IDE CD-ROM (El Torito EFI)',
  },
  'bios-usb': {
    firmware: 'bios',
    medium: 'usb',
    description: 'SeaBIOS, ISO as a USB stick (hybrid MBR)',
  },
  'uefi-usb': {
    firmware: 'uefi',
    medium: 'usb',
    description: 'OVMF, ISO as a USB stick (GPT ESP)',
  },
} as const satisfies Record<string, BootMode>;

export type BootModeName = keyof typeof BOOT_MODES;
export const BOOT_MODE_NAMES = Object.keys(BOOT_MODES) as BootModeName[];

export function isBootModeName(value: string): value is BootModeName {
  return value in BOOT_MODES;
}

/**
 * UEFI Secure Boot, enforcing: the firmware variables of Debian's ovmf with its test key
 * (PkKek-1-snakeoil) enrolled as PK, KEK and db (`test-key`), or none enrolled, so that the
 * firmware starts in setup mode and takes the keys a boot manager enrols (`setup-mode`).
 */
export const SECURE_BOOT_STATES = ['test-key', 'setup-mode'] as const;
export type SecureBootState = (typeof SECURE_BOOT_STATES)[number];

export function isSecureBootState(value: string): value is SecureBootState {
  return (SECURE_BOOT_STATES as readonly string[]).includes(value);
}

/** The QEMU machine: Secure Boot firmware needs q35 with SMM, which keeps its variables safe. */
export function machineFor(secureBoot: SecureBootState | undefined): string {
  return secureBoot === undefined ? 'pc' : 'q35,smm=on';
}

/**
 * QEMU arguments for the firmware and the boot medium of a mode (no medium without an ISO),
 * with Secure Boot firmware when `secureBoot` says which keys it starts with.
 */
export async function bootModeArgs(
  name: BootModeName,
  iso: string | undefined,
  stateDir: string,
  secureBoot?: SecureBootState,
): Promise<string[]> {
  const mode: BootMode = BOOT_MODES[name];
  const args: string[] = [];
  if (secureBoot !== undefined && mode.firmware !== 'uefi') {
    throw new Error(`Secure Boot needs a UEFI boot mode, not ${name}`);
  }
  if (mode.firmware === 'uefi') {
    const firmware =
      secureBoot === undefined
        ? await findUefiFirmware()
        : await findUefiFirmware('pc-q35-', FIRMWARE_DESCRIPTOR_DIRS, 'secure-boot');
    const template =
      secureBoot === 'test-key' ? HOST_TOOLS.secureBootTestVars.path : firmware.varsTemplate;
    const vars = join(stateDir, 'OVMF_VARS.fd');
    await copyFile(template, vars);
    args.push(
      ...(secureBoot === undefined
        ? []
        : ['-global', 'driver=cfi.pflash01,property=secure,value=on']),
      '-drive',
      `if=pflash,format=raw,unit=0,readonly=on,file=${firmware.code}`,
      '-drive',
      `if=pflash,format=raw,unit=1,file=${vars}`,
    );
  }
  if (iso === undefined) return args;
  if (mode.medium === 'cd') {
    args.push(
      '-drive',
      `if=none,id=live,file=${iso},format=raw,media=cdrom,readonly=on`,
      '-device',
      'ide-cd,drive=live,bootindex=0',
    );
  } else {
    args.push(
      '-device',
      'qemu-xhci,id=xhci',
      '-drive',
      `if=none,id=live,file=${iso},format=raw,snapshot=on`,
      '-device',
      'usb-storage,bus=xhci.0,drive=live,removable=on,bootindex=0',
    );
  }
  return args;
}
