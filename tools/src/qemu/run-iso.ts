import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { assertHost, checkHost } from '../core/host.ts';
import { requirementsOf } from '../core/host-uses.ts';
import { startProcess } from '../core/process.ts';
import { BOOT_MODES } from './boot-modes.ts';
import { machineArgv } from './machine-argv.ts';
import type { BootModeName, SecureBootState } from './boot-modes.ts';

export interface RunIsoRequest {
  readonly variant: string;
  /** The nx task that builds the ISO, named when there is none. */
  readonly buildTask: string;
  /** The ISO to boot; the variant's in dist/<id> by default. */
  readonly iso?: string;
  readonly mode: BootModeName;
  readonly memory: string;
  /** Secure Boot firmware, starting with these keys. */
  readonly secureBoot?: SecureBootState;
}

/** Boots a built ISO in QEMU with the serial console on this terminal, until QEMU exits. */
export async function runIso(request: RunIsoRequest): Promise<void> {
  const spec = await loadVariant(request.variant);
  const iso = resolve(request.iso ?? join('dist', spec.id, artifactName(spec, { kind: 'iso' })));
  await access(iso).catch(() => {
    throw new UserError('run-no-iso', `no ISO at ${iso}`, {
      hint: `build it first: npx nx run ${request.buildTask}`,
    });
  });
  const memoryMiB = Number(request.memory);
  if (!Number.isInteger(memoryMiB) || memoryMiB < 64) {
    throw new UserError('run-memory', `--memory ${request.memory} is not a size in MiB`, {
      hint: 'give whole MiB, at least 64: --memory 2048',
    });
  }
  const uefi = BOOT_MODES[request.mode].firmware === 'uefi';
  if (request.secureBoot !== undefined && !uefi) {
    throw new UserError(
      'run-secure-boot-mode',
      `Secure Boot needs a UEFI boot mode, not ${request.mode}`,
      {
        hint: 'use --mode uefi-cd or --mode uefi-usb',
      },
    );
  }
  assertHost(
    await checkHost(
      requirementsOf(
        [
          'qemuSystemX86',
          ...(uefi ? (['uefiFirmware'] as const) : []),
          ...(request.secureBoot === 'test-key' ? (['secureBootTestVars'] as const) : []),
        ],
        'run',
      ),
    ),
  );
  const stateDir = await mkdtemp(join(tmpdir(), `${spec.id}-run-`));
  try {
    const vm = await startProcess(
      await machineArgv({
        iso,
        mode: request.mode,
        ...(request.secureBoot === undefined ? {} : { secureBoot: request.secureBoot }),
        stateDir,
        memoryMiB,
        // systemd-boot resets the machine once it has enrolled keys.
        allowReboot: request.secureBoot === 'setup-mode',
        console: { kind: 'terminal' },
      }),
      { interactive: true },
    );
    await vm.exited;
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}
