import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { UserError, assertHost, checkHost, requirementsOf, startProcess } from '@levitate/tools';
import { BOOT_MODES, BOOT_MODE_NAMES, bootModeArgs } from './boot-modes.ts';
import type { BootModeName } from './boot-modes.ts';
import { acceleratorArgs } from './accelerator.ts';
import { builderOf, nxBuildTarget } from '../workspace.ts';

/**
 * Adds `run` to a builder's command line: boots the variant's built ISO in QEMU (TCG) with the
 * serial console on this terminal. Ctrl-A X quits.
 */
export function addRunCommand(program: Command, variant: string): Command {
  program
    .command('run')
    .description('boot the built ISO in QEMU on this terminal (serial console; Ctrl-A X quits)')
    .option('--iso <file>', 'the ISO to boot (default: the one in dist/<id>)')
    .addOption(new Option('--mode <mode>', 'boot mode').choices(BOOT_MODE_NAMES).default('uefi-cd'))
    .option('--memory <MiB>', 'guest memory', '1024')
    .action(async (flags: { iso?: string; mode: BootModeName; memory: string }) => {
      const spec = await loadVariant(variant);
      const iso = resolve(flags.iso ?? join('dist', spec.id, artifactName(spec, { kind: 'iso' })));
      await access(iso).catch(() => {
        throw new UserError('run-no-iso', `no ISO at ${iso}`, {
          hint: `build it first: npx nx run ${nxBuildTarget(builderOf(variant))}`,
        });
      });
      const uefi = BOOT_MODES[flags.mode].firmware === 'uefi';
      assertHost(
        await checkHost(
          requirementsOf(uefi ? ['qemuSystemX86', 'uefiFirmware'] : ['qemuSystemX86'], 'run'),
        ),
      );
      const stateDir = await mkdtemp(join(tmpdir(), `${spec.id}-run-`));
      try {
        const vm = await startProcess(
          [
            'qemu-system-x86_64',
            ...acceleratorArgs(),
            '-m',
            flags.memory,
            '-nodefaults',
            '-nographic',
            '-serial',
            'mon:stdio',
            '-no-reboot',
            ...(await bootModeArgs(flags.mode, iso, stateDir)),
          ],
          { interactive: true },
        );
        await vm.exited;
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    });
  return program;
}
