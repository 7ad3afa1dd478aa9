import { describe, expect, it } from 'vitest';
import { acceleratorArgs } from './accelerator.ts';
import { qemuArgv } from './vm.ts';

describe('the QEMU accelerator', () => {
  it('emulates an x86-64-v3 CPU under TCG unless KVM is asked for', async () => {
    expect(acceleratorArgs({})).toEqual(['-machine', 'pc', '-accel', 'tcg', '-cpu', 'max']);
    expect(acceleratorArgs({ LEVITATE_QEMU_ACCEL: 'kvm' })).toContain('host');
    expect(() => acceleratorArgs({ LEVITATE_QEMU_ACCEL: 'hvf' })).toThrow(/tcg or kvm/);
    const argv = await qemuArgv({ stateDir: '/tmp/vm-argv', mode: 'bios-cd', iso: '/x.iso' });
    expect(argv.slice(argv.indexOf('-cpu'), argv.indexOf('-cpu') + 2)).toEqual(['-cpu', 'max']);
  });
});
