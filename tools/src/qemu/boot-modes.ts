import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findUefiFirmware } from './firmware.ts';

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

/** QEMU arguments for the firmware and the boot medium of a mode (no medium without an ISO). */
export async function bootModeArgs(
  name: BootModeName,
  iso: string | undefined,
  stateDir: string,
): Promise<string[]> {
  const mode: BootMode = BOOT_MODES[name];
  const args: string[] = [];
  if (mode.firmware === 'uefi') {
    const firmware = await findUefiFirmware();
    const vars = join(stateDir, 'OVMF_VARS.fd');
    await copyFile(firmware.varsTemplate, vars);
    args.push(
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
