import { writeFile } from 'node:fs/promises';
import type { Runner } from '../core/run.ts';

/** GRUB modules the BIOS El Torito image needs to find the medium and boot Linux from it. */
const BIOS_MODULES = [
  'biosdisk',
  'iso9660',
  'part_msdos',
  'part_gpt',
  'normal',
  'configfile',
  'linux',
  'search',
  'search_label',
  'serial',
  'terminal',
  'echo',
  'test',
];

export const GRUB_PREFIX = '/boot/grub';

export interface GrubMenuEntry {
  readonly title: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly cmdline: readonly string[];
}

/**
 * Builds GRUB's i386-pc El Torito core image. An embedded early config finds the medium by
 * its volume label, so the same image works from a CD and from a USB stick (boot_hybrid).
 */
export async function buildGrubBiosImage(
  runner: Runner,
  options: { output: string; earlyConfig: string; volumeLabel: string },
): Promise<void> {
  await writeFile(
    options.earlyConfig,
    `search --no-floppy --set=root --label ${options.volumeLabel}\nset prefix=($root)${GRUB_PREFIX}\n`,
  );
  await runner.run([
    'grub-mkimage',
    '--format',
    'i386-pc-eltorito',
    '--output',
    options.output,
    '--prefix',
    GRUB_PREFIX,
    '--config',
    options.earlyConfig,
    ...BIOS_MODULES,
  ]);
}

/** grub.cfg for BIOS boots: serial and screen consoles, a short timeout, one entry each. */
export function grubConfig(entries: readonly GrubMenuEntry[], timeoutSeconds: number): string {
  const lines = [
    'serial --unit=0 --speed=115200',
    'terminal_input serial console',
    'terminal_output serial console',
    `set timeout=${timeoutSeconds}`,
    'set default=0',
    '',
  ];
  for (const entry of entries) {
    lines.push(
      `menuentry '${entry.title.replaceAll("'", '')}' {`,
      `  linux ${entry.kernel} ${entry.cmdline.join(' ')}`,
      `  initrd ${entry.initrd}`,
      '}',
      '',
    );
  }
  return lines.join('\n');
}
