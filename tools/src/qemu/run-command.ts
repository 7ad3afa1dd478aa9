import { Option } from 'commander';
import type { Command } from 'commander';
import { BOOT_MODE_NAMES, SECURE_BOOT_STATES } from './boot-modes.ts';
import type { RunIsoRequest } from './run-iso.ts';

export interface RunCommandOptions {
  readonly variant: string;
  /** The nx task that builds the ISO into dist/, named when there is none to boot. */
  readonly buildTask: string;
}

/** `--secure-boot test-key|setup-mode`, shared by `run` and `vm start`. */
export function secureBootFirmwareOption(): Option {
  return new Option(
    '--secure-boot <keys>',
    'Secure Boot firmware (UEFI modes): test-key has the ovmf test key enrolled; setup-mode has none, for systemd-boot to enrol',
  ).choices(SECURE_BOOT_STATES);
}

/**
 * Adds `run` to a builder's command line: boots the variant's built ISO in QEMU (TCG) with the
 * serial console on this terminal. Ctrl-A X quits. What it runs is loaded only when it runs.
 */
export function addRunCommand(program: Command, options: RunCommandOptions): Command {
  program
    .command('run')
    .description('boot the built ISO in QEMU on this terminal (serial console; Ctrl-A X quits)')
    .option('--iso <file>', 'the ISO to boot (default: the one in dist/<id>)')
    .addOption(new Option('--mode <mode>', 'boot mode').choices(BOOT_MODE_NAMES).default('uefi-cd'))
    .option('--memory <MiB>', 'guest memory', '1024')
    .addOption(secureBootFirmwareOption())
    .action(async (flags: Omit<RunIsoRequest, keyof RunCommandOptions>) => {
      const { runIso } = await import('./run-iso.ts');
      await runIso({ ...options, ...flags });
    });
  return program;
}
