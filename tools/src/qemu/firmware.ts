import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** UEFI firmware as QEMU's firmware descriptors (docs/interop/firmware.json) describe it. */
export interface UefiFirmware {
  readonly descriptor: string;
  readonly code: string;
  readonly varsTemplate: string;
}

interface Descriptor {
  'interface-types'?: string[];
  mapping?: {
    device?: string;
    executable?: { filename?: string };
    'nvram-template'?: { filename?: string };
  };
  targets?: { architecture?: string; machines?: string[] }[];
  features?: string[];
}

export const FIRMWARE_DESCRIPTOR_DIRS = ['/etc/qemu/firmware', '/usr/share/qemu/firmware'];

/** Which firmware: plain UEFI, or UEFI with Secure Boot (its variables chosen by the caller). */
export type FirmwareKind = 'uefi' | 'secure-boot';

/**
 * Picks UEFI flash firmware in descriptor priority order (file name order, /etc first), as
 * QEMU's own consumers do: for `uefi`, firmware for `machine` (e.g. `pc-i440fx-7.2` or `pc`)
 * without Secure Boot or SMM requirements; for `secure-boot`, Secure Boot firmware for q35
 * (which it requires, with SMM) whose variable template has no keys enrolled, so that it
 * starts in setup mode.
 */
export async function findUefiFirmware(
  machine = 'pc-i440fx-',
  dirs: readonly string[] = FIRMWARE_DESCRIPTOR_DIRS,
  kind: FirmwareKind = 'uefi',
): Promise<UefiFirmware> {
  const candidates: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    candidates.push(
      ...names
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(dir, name)),
    );
  }
  for (const file of candidates) {
    const descriptor = JSON.parse(await readFile(file, 'utf8')) as Descriptor;
    const code = descriptor.mapping?.executable?.filename;
    const vars = descriptor.mapping?.['nvram-template']?.filename;
    const fitsMachine = descriptor.targets?.some(
      (target) =>
        target.architecture === 'x86_64' &&
        (target.machines ?? []).some((pattern) => matchesMachine(pattern, machine)),
    );
    const features = descriptor.features ?? [];
    const fitsKind =
      kind === 'uefi'
        ? !features.includes('requires-smm') && !features.includes('secure-boot')
        : features.includes('secure-boot') && !features.includes('enrolled-keys');
    if (
      descriptor['interface-types']?.includes('uefi') &&
      descriptor.mapping?.device === 'flash' &&
      fitsMachine &&
      fitsKind &&
      code !== undefined &&
      vars !== undefined
    ) {
      return { descriptor: file, code, varsTemplate: vars };
    }
  }
  const what = kind === 'uefi' ? 'without Secure Boot' : 'with Secure Boot and no enrolled keys';
  throw new Error(
    `no UEFI firmware for x86_64 ${machine} ${what} in ${dirs.join(', ')}: install the Debian package 'ovmf'`,
  );
}

function matchesMachine(pattern: string, machine: string): boolean {
  const prefix = pattern.replace(/\*$/, '');
  return machine.startsWith(prefix) || prefix.startsWith(machine);
}
