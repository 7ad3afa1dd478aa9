/** QEMU for people and for the end-to-end suites (`@levitate/tools/qemu`). */
export {
  BOOT_MODES,
  BOOT_MODE_NAMES,
  SECURE_BOOT_STATES,
  bootModeArgs,
  isBootModeName,
  isSecureBootState,
} from './boot-modes.ts';
export type { BootMode, BootModeName, SecureBootState } from './boot-modes.ts';
export { findUefiFirmware } from './firmware.ts';
export type { UefiFirmware } from './firmware.ts';
export { Vm, qemuArgv } from './vm.ts';
export { machineArgv, vmPaths } from './machine-argv.ts';
export type { MachineOptions, SerialConsole, VmPaths } from './machine-argv.ts';
export type { VmOptions } from './vm.ts';
export type { GuestResult } from './guest-command.ts';
export { addRunCommand } from './run-command.ts';
export type { RunCommandOptions } from './run-command.ts';
