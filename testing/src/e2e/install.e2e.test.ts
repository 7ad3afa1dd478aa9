import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { WORKSPACE_ROOT } from '@levitate/tools';
import { Vm } from '@levitate/tools/qemu';
import { builderOf } from '../workspace.ts';
import { buildFromFixture } from './fixture-build.ts';
import { installProcedure } from './install-procedure.ts';
import { fixtureProvenance } from './fixture-build.ts';
import { UPDATES_MOUNT, makeUpdatesDisk } from './updates-disk.ts';

/**
 * The documented install procedure, typed on the live ISO's serial console onto a blank
 * virtio disk, then the disk booted alone under UEFI with a password login. The ISOs are the
 * ones `nx run <variant>:iso|build` publishes in dist/.
 */
/** CI installs one APK and one RPM variant; `nx run testing:e2e-full` installs all three. */
const VARIANTS = (process.env['E2E_VARIANTS'] ?? 'acorn,levitate').split(',');
const UPDATE_VERSION = '0.1.1';
const ROOT_PASSWORD = 'install-e2e';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'install-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * Logs in on the serial console of an installed system, at the first prompt after `from`. The
 * prompt need not end the console: what services print there (the trial's sentinels) can land
 * behind it while getty waits for the name.
 */
async function login(vm: Vm, from = 0): Promise<void> {
  await vm.waitFor(/login: /m, 300_000, from);
  const prompt = vm.log.lastIndexOf('login:');
  vm.send('root');
  await vm.waitFor(/Password: ?/m, 30_000, prompt);
  vm.send(ROOT_PASSWORD);
  await vm.check('true');
}

/** Waits for a whole sentinel line the guest prints on its console after `from`. */
async function sentinel(vm: Vm, pattern: string, from: number, timeoutMs = 420_000) {
  const match = await vm.waitFor(new RegExp(`(${pattern}[^\\r\\n]*)\\r?\\n`), timeoutMs, from);
  return match[1] ?? '';
}

describe.each(VARIANTS)('%s', (variant) => {
  let spec: VariantSpec;
  let iso: string;
  let disk: string;

  beforeAll(async () => {
    spec = await loadVariant(variant);
    iso = join(WORKSPACE_ROOT, 'dist', spec.id, artifactName(spec, { kind: 'iso' }));
    await access(iso);
    // Built by nx with no mirror in reach: the fallback to the fixture is in the report.
    const report = join(WORKSPACE_ROOT, 'dist', spec.id, artifactName(spec, { kind: 'report' }));
    expect(await fixtureProvenance(report)).toEqual([]);
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
      // The user the procedure added has a home on the shared /var, and is in wheel.
      await vm.check('test -d /var/home/me');
      expect(await vm.check('id -nG me')).toMatch(/\bwheel\b/);
    } finally {
      await vm.stop();
    }
  }, 600_000);

  it('updates into system-b by a trial boot that is blessed, composes a recipe into system-a the same way, then rolls a broken update back by itself', async () => {
    const builder = builderOf(variant);
    const out = join(work, `${variant}-update`);
    const build = await buildFromFixture(builder, {
      out,
      cache: join(work, 'cache'),
      extra: ['--os-version', UPDATE_VERSION],
    });
    expect(build.exitCode, build.stderr).toBe(0);
    const updateSpec = await loadVariant(variant, { version: UPDATE_VERSION });
    const updates = await makeUpdatesDisk({
      work: join(work, `${variant}-updates`),
      iso: join(out, artifactName(updateSpec, { kind: 'iso' })),
      brokenSlotUki: spec.boot.slots.find((slot) => slot.slot === 'b')?.uki ?? '',
      // AcornOS's busybox tar has no zstd: its recipe takes the zstd-first path.
      recipeArchive: spec.family === 'apk' ? 'tar.zst' : 'tar.gz',
    });

    const vm = await Vm.start({
      mode: 'uefi-cd',
      disks: [disk, updates.image],
      stateDir: join(work, `${variant}-update-vm`),
      memoryMiB: 1024,
      allowReboot: true,
    });
    try {
      await login(vm);
      await vm.check('mkdir -p /var/home/me && echo kept > /var/home/me/note');
      await vm.check(`mount --mkdir -o ro /dev/vdb ${UPDATES_MOUNT}`);
      const applied = await vm.check(
        `recupdate apply ${UPDATES_MOUNT}/${updates.isoName}`,
        600_000,
      );
      expect(applied).toContain('slot b holds');
      expect(await vm.check('recupdate status')).toContain('trial: b is armed');
      const again = await vm.run(`recupdate apply ${UPDATES_MOUNT}/${updates.isoName}`);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('a trial of slot b is pending');

      // The trial: systemd-boot starts system-b once; it is healthy, so it is blessed.
      let from = vm.log.length;
      vm.send('reboot');
      expect(await sentinel(vm, 'RECUPDATE-(?:BLESSED|HEALTH-FAILED|TRIAL-FAILED)', from)).toBe(
        'RECUPDATE-BLESSED slot=b',
      );
      await login(vm, from);
      expect(await vm.check('cat /proc/cmdline')).toContain('root=PARTLABEL=system-b');
      expect((await vm.check('. /etc/os-release; echo "$VERSION_ID"')).trim()).toBe(UPDATE_VERSION);
      expect(await vm.check('cat /var/home/me/note')).toBe('kept\n');
      const blessed = await vm.check('recupdate status');
      expect(blessed).toMatch(/slot b: \S+-b\.conf \(default\)/);
      expect(blessed).not.toContain('trial:');

      // recipe composes its change in a copy of slot b in slot a, which gets a trial boot.
      const { recipe } = updates;
      await vm.check(`mount --mkdir -o ro /dev/vdb ${UPDATES_MOUNT}`);
      await vm.check(`mkdir -p /etc/recipes && cp ${UPDATES_MOUNT}/${recipe.file} /etc/recipes/`);
      const composed = await vm.run(`recipe install ${recipe.name}`, 900_000);
      expect(composed.status, composed.stderr).toBe(0);
      expect(composed.stdout).toContain(`installed ${recipe.name} 1.0: 1 files`);
      expect(composed.stdout).toContain('slot a holds');
      expect(await vm.check('recupdate status')).toContain('trial: a is armed');
      expect((await vm.run(`command -v ${recipe.name}`)).status).not.toBe(0);
      expect(await vm.check('recipe list')).toContain(`${recipe.name}  not installed`);

      from = vm.log.length;
      vm.send('reboot');
      expect(await sentinel(vm, 'RECUPDATE-(?:BLESSED|HEALTH-FAILED|TRIAL-FAILED)', from)).toBe(
        'RECUPDATE-BLESSED slot=a',
      );
      await login(vm, from);
      expect(await vm.check('cat /proc/cmdline')).toContain('root=PARTLABEL=system-a');
      expect((await vm.check('. /etc/os-release; echo "$VERSION_ID"')).trim()).toBe(UPDATE_VERSION);
      expect(await vm.check(recipe.name)).toBe(`${recipe.prints}\n`);
      expect(await vm.check('recipe list')).toContain(`${recipe.name}  installed 1.0`);
      expect(await vm.check('recipe verify')).toContain('every file is as installed');
      expect(await vm.check('cat /var/home/me/note')).toBe('kept\n');

      // a stays the default across an ordinary reboot.
      from = vm.log.length;
      vm.send('reboot');
      expect(await sentinel(vm, 'RECUPDATE-RUNNING', from)).toMatch(/^RECUPDATE-RUNNING slot=a /);
      await login(vm, from);

      // --mutable changes the running slot in place, with a warning, and arms nothing.
      const removed = await vm.run(`recipe --mutable remove ${recipe.name}`, 120_000);
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.stderr).toContain('changing the running slot a in place (--mutable)');
      expect((await vm.run(`command -v ${recipe.name}`)).status).not.toBe(0);
      expect(await vm.check('recupdate status')).not.toContain('trial:');

      // A broken update into system-b fails its health check on the trial boot; the machine
      // reboots into system-a by itself.
      await vm.check(`mount --mkdir -o ro /dev/vdb ${UPDATES_MOUNT}`);
      await vm.check(
        `recupdate apply --uki ${UPDATES_MOUNT}/${updates.brokenUkiName} ${UPDATES_MOUNT}/${updates.brokenName}`,
        600_000,
      );
      from = vm.log.length;
      vm.send('reboot');
      expect(await sentinel(vm, 'RECUPDATE-HEALTH-FAILED', from)).toMatch(/slot=system-b|slot=b/);
      expect(await sentinel(vm, 'RECUPDATE-TRIAL-FAILED', from)).toBe(
        'RECUPDATE-TRIAL-FAILED slot=b running=a',
      );
      await login(vm, vm.log.lastIndexOf('RECUPDATE-TRIAL-FAILED'));
      expect(await vm.check('cat /proc/cmdline')).toContain('root=PARTLABEL=system-a');
      const after = await vm.check('recupdate status');
      expect(after).toMatch(/slot a: \S+-a\.conf \(default\)/);
      expect(after).toContain('last: trial of slot b failed');

      // A rollback on purpose makes b the default again.
      expect(await vm.check('recupdate rollback')).toContain('slot b');
      expect(await vm.check('recupdate status')).toMatch(/slot b: \S+-b\.conf \(default\)/);
    } finally {
      await vm.stop();
    }
  }, 3_600_000);
});
