import { readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runCli } from '../cli/run-cli.ts';
import { UserError } from '../core/errors.ts';
import { BOOT_MODES, BOOT_MODE_NAMES } from './boot-modes.ts';
import type { BootModeName, SecureBootState } from './boot-modes.ts';
import { secureBootFirmwareOption } from './run-command.ts';
import { Vm } from './vm.ts';
import { vmPaths } from './machine-argv.ts';

/** Where a named VM keeps its socket, logs and pid. */
function stateDir(name: string): string {
  return join(process.env['LEVITATE_VM_DIR'] ?? join(tmpdir(), 'levitate-vm'), name);
}

const nameOption = () => new Option('--name <name>', 'which VM').default('default');

export function createVmProgram(
  write: (text: string) => void = (text) => process.stdout.write(text),
): Command {
  const program = new Command('vm')
    .description('Boot an ISO in QEMU (TCG) in the background and talk to its serial console.')
    .exitOverride();

  program
    .command('start')
    .description('boot an ISO; the VM keeps running after this command returns')
    .argument('<iso>', 'the ISO image')
    .addOption(new Option('--mode <mode>', 'boot mode').choices(BOOT_MODE_NAMES).default('uefi-cd'))
    .addOption(nameOption())
    .option('--memory <MiB>', 'guest memory', '1024')
    .addOption(secureBootFirmwareOption())
    .action(
      async (
        iso: string,
        flags: { mode: BootModeName; name: string; memory: string; secureBoot?: SecureBootState },
      ) => {
        const vm = await Vm.start({
          iso: resolve(iso),
          mode: flags.mode,
          stateDir: stateDir(flags.name),
          memoryMiB: Number(flags.memory),
          detached: true,
          ...(flags.secureBoot === undefined
            ? {}
            : { secureBoot: flags.secureBoot, allowReboot: flags.secureBoot === 'setup-mode' }),
        });
        write(
          `started ${flags.name} (${BOOT_MODES[flags.mode].description}), pid ${vm.process.pid}\n` +
            `serial log: ${vm.paths.serialLog}\n`,
        );
      },
    );

  program
    .command('log')
    .description('print what the serial console has printed so far')
    .addOption(nameOption())
    .action(async (flags: { name: string }) => {
      write(
        await readFile(vmPaths(stateDir(flags.name)).serialLog, 'latin1').catch(() =>
          notRunning(flags.name),
        ),
      );
    });

  program
    .command('send')
    .description('type a line on the serial console')
    .argument('<line...>', 'the text to type (a newline is added)')
    .addOption(nameOption())
    .action(async (words: string[], flags: { name: string }) => {
      await sendLine(vmPaths(stateDir(flags.name)).serialSocket, words.join(' ')).catch(() =>
        notRunning(flags.name),
      );
    });

  program
    .command('stop')
    .description('power the VM off and remove its state')
    .addOption(nameOption())
    .action(async (flags: { name: string }) => {
      const dir = stateDir(flags.name);
      const pid = Number(
        (await readFile(vmPaths(dir).pidFile, 'utf8').catch(() => notRunning(flags.name))).trim(),
      );
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone: only the state is left to remove.
      }
      await rm(dir, { recursive: true, force: true });
      write(`stopped ${flags.name}\n`);
    });
  return program;
}

function notRunning(name: string): never {
  throw new UserError('vm-not-running', `no VM named "${name}" is running`, {
    hint: 'start one with `vm start <iso>`',
  });
}

function sendLine(socketPath: string, line: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(socketPath, () =>
      socket.end(`${line}\n`, () => resolvePromise()),
    );
    socket.on('data', () => undefined);
    socket.once('error', reject);
  });
}

/** The `vm` command: runs it with `argv` as `process.argv` and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  return runCli(createVmProgram(), argv);
}
