import { join } from 'node:path';
import { acceleratorArgs } from './accelerator.ts';
import { bootModeArgs, machineFor } from './boot-modes.ts';
import type { BootModeName, SecureBootState } from './boot-modes.ts';

/** Where a machine's serial console goes. */
export type SerialConsole =
  /** This terminal, with QEMU's monitor on Ctrl-A C (`run`). */
  | { readonly kind: 'terminal' }
  /** A unix socket to type into, logged to a file (`vm` and the boot tests). */
  | { readonly kind: 'socket'; readonly socket: string; readonly log: string };

/** One virtual machine as the tools start it: TCG unless told, no default devices. */
export interface MachineOptions {
  /** The live ISO; without one the machine boots from its first disk (in `mode`'s firmware). */
  readonly iso?: string;
  readonly mode: BootModeName;
  /** Boot with Secure Boot firmware (a UEFI mode only), starting with these keys. */
  readonly secureBoot?: SecureBootState;
  /** Raw disk images attached as virtio disks (/dev/vda, /dev/vdb, ...), first one first. */
  readonly disks?: readonly string[];
  /** Folder for the firmware variables (and what the caller keeps beside them). */
  readonly stateDir: string;
  readonly memoryMiB?: number;
  /** Let the guest reboot itself (by default a reboot ends QEMU, as a power-off does). */
  readonly allowReboot?: boolean;
  readonly console: SerialConsole;
  /** Where QEMU writes its process id. */
  readonly pidFile?: string;
}

const DEFAULT_MEMORY_MIB = 1024;

function consoleArgs(console: SerialConsole): string[] {
  if (console.kind === 'terminal') return ['-nographic', '-serial', 'mon:stdio'];
  return [
    '-display',
    'none',
    '-vga',
    'std',
    '-chardev',
    `socket,id=serial0,path=${console.socket},server=on,wait=off,logfile=${console.log},logappend=off`,
    '-serial',
    'chardev:serial0',
  ];
}

function diskArgs(disks: readonly string[], bootFromFirst: boolean): string[] {
  return disks.flatMap((disk, index) => [
    '-drive',
    `if=none,id=disk${index},file=${disk},format=raw,cache=unsafe`,
    '-device',
    `virtio-blk-pci,drive=disk${index}${bootFromFirst && index === 0 ? ',bootindex=0' : ''}`,
  ]);
}

/** The whole QEMU command line of a machine. */
export async function machineArgv(options: MachineOptions): Promise<string[]> {
  return [
    'qemu-system-x86_64',
    ...acceleratorArgs(process.env, machineFor(options.secureBoot)),
    '-m',
    String(options.memoryMiB ?? DEFAULT_MEMORY_MIB),
    '-smp',
    '1',
    '-nodefaults',
    ...consoleArgs(options.console),
    ...(options.allowReboot === true ? [] : ['-no-reboot']),
    ...(options.pidFile === undefined ? [] : ['-pidfile', options.pidFile]),
    ...(await bootModeArgs(options.mode, options.iso, options.stateDir, options.secureBoot)),
    ...diskArgs(options.disks ?? [], options.iso === undefined),
  ];
}

/** The files of a machine started with a socket console, in its state folder. */
export interface VmPaths {
  readonly serialSocket: string;
  readonly serialLog: string;
  readonly pidFile: string;
  readonly qemuLog: string;
}

export function vmPaths(stateDir: string): VmPaths {
  return {
    serialSocket: join(stateDir, 'serial.sock'),
    serialLog: join(stateDir, 'serial.log'),
    pidFile: join(stateDir, 'qemu.pid'),
    qemuLog: join(stateDir, 'qemu.log'),
  };
}
