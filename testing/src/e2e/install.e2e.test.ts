import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { WORKSPACE_ROOT } from '@levitate/tools';
import { Vm } from '../qemu/index.ts';
import { installProcedure } from './install-procedure.ts';

/**
 * The documented install procedure, typed on the live ISO's serial console onto a blank
 * virtio disk, then the disk booted alone under UEFI with a password login. The ISOs are the
 * ones `nx run <variant>:iso|build` publishes in dist/.
 */
const VARIANTS = (process.env['INSTALL_E2E_VARIANTS'] ?? 'acorn,levitate').split(',');
const ROOT_PASSWORD = 'install-e2e';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'install-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Logs in on the serial console of an installed system. */
async function login(vm: Vm): Promise<void> {
  await vm.waitFor(/login: $/m, 240_000);
  vm.send('root');
  await vm.waitFor(/Password: ?$/m, 30_000, vm.log.lastIndexOf('login:'));
  vm.send(ROOT_PASSWORD);
  await vm.check('true');
}

describe.each(VARIANTS)('%s', (variant) => {
  let spec: VariantSpec;
  let iso: string;
  let disk: string;

  beforeAll(async () => {
    spec = await loadVariant(variant);
    iso = join(WORKSPACE_ROOT, 'dist', spec.id, artifactName(spec, { kind: 'iso' }));
    await access(iso);
    disk = join(work, `${variant}.raw`);
    // Big enough for the procedure's 1 GiB + 64 GiB + 64 GiB + var, and sparse.
    await execa('truncate', ['-s', '140G', disk]);
  });

  it('installs from the live ISO by the documented procedure', async () => {
    const vm = await Vm.start({
      iso,
      mode: 'uefi-cd',
      disks: [disk],
      stateDir: join(work, `${variant}-live`),
      memoryMiB: 1536,
    });
    try {
      await vm.waitFor(/LIVE-CHECK-OK[^\r\n]*\r?\n/, 240_000);
      for (const step of installProcedure(spec, {
        disk: '/dev/vda',
        rootPassword: ROOT_PASSWORD,
      })) {
        await vm.check(step.command, step.timeoutMs);
      }
      expect(await vm.check('cat /mnt/etc/fstab')).toMatch(/^UUID=\S+\t\/var\text4\t/m);
      await vm.check('umount -R /mnt');
      vm.send('poweroff');
      await vm.process.exited;
    } finally {
      await vm.stop();
    }
  }, 900_000);

  it('boots the installed disk alone under UEFI from system-a, with /var on its partition', async () => {
    const vm = await Vm.start({
      mode: 'uefi-cd',
      disks: [disk],
      stateDir: join(work, `${variant}-disk`),
      memoryMiB: 1024,
    });
    try {
      await login(vm);
      expect((await vm.check('. /etc/os-release; echo "$ID"')).trim()).toBe(spec.id);
      const cmdline = await vm.check('cat /proc/cmdline');
      expect(cmdline).toContain('root=PARTLABEL=system-a');
      expect(cmdline).not.toContain('live:');
      const mounts = await vm.check(
        'awk \'$2 == "/" || $2 == "/var" { print $2, $1 }\' /proc/mounts',
      );
      expect(mounts.trim().split('\n').sort()).toEqual(['/ /dev/vda2', '/var /dev/vda4']);
      expect(await vm.check('ls /media/cdrom 2>/dev/null | wc -l')).toBe('0\n');
    } finally {
      await vm.stop();
    }
  }, 600_000);
});
