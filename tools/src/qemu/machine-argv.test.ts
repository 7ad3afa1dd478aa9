import { describe, expect, it } from 'vitest';
import { machineArgv, vmPaths } from './machine-argv.ts';
import { qemuArgv } from './vm.ts';

const after = (argv: readonly string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('one QEMU command line for run and vm', () => {
  it('differ only in where the serial console goes and the process id file', async () => {
    const common = { stateDir: '/tmp/machine-argv', mode: 'bios-cd', iso: '/x.iso' } as const;
    const terminal = await machineArgv({ ...common, console: { kind: 'terminal' } });
    const vm = await qemuArgv(common);
    expect(terminal).toContain('-nographic');
    expect(after(terminal, '-serial')).toBe('mon:stdio');
    expect(after(vm, '-serial')).toBe('chardev:serial0');
    expect(after(vm, '-chardev')).toContain(`path=${vmPaths(common.stateDir).serialSocket}`);
    expect(after(vm, '-pidfile')).toBe(vmPaths(common.stateDir).pidFile);
    const shared = (argv: readonly string[]) =>
      ['-machine', '-accel', '-cpu', '-m', '-smp'].map((flag) => after(argv, flag));
    expect(shared(terminal)).toEqual(shared(vm));
    expect(shared(vm)).toEqual(['pc', 'tcg', 'max', '1024', '1']);
  });

  it('boot from the first disk when there is no ISO, and reboot only when allowed', async () => {
    const argv = await machineArgv({
      stateDir: '/tmp/machine-argv',
      mode: 'bios-cd',
      disks: ['/a.img', '/b.img'],
      memoryMiB: 2048,
      allowReboot: true,
      console: { kind: 'terminal' },
    });
    expect(argv).not.toContain('-no-reboot');
    expect(after(argv, '-m')).toBe('2048');
    const devices = argv.filter((_, at) => argv[at - 1] === '-device');
    expect(devices).toEqual([
      'virtio-blk-pci,drive=disk0,bootindex=0',
      'virtio-blk-pci,drive=disk1',
    ]);
  });
});
