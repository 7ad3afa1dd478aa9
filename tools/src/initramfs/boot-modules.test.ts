import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_VARIANTS, loadVariant } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { hostKernelRelease } from '../test-support/host-kernel.ts';
import { FILESYSTEM_MODULES, LIVE_MEDIUM_MODULES, liveBootModules } from './boot-modules.ts';
import { buildInitramfs } from './build.ts';
import type { InitramfsInput } from './build.ts';
import { hostDirectoryRoot } from './host-root.ts';
import { LIVE_BOOT_MODULES, busyboxShell } from './live-boot.ts';
import { moduleClosure } from './modules.ts';

/** The installed Debian kernel: the one the RPM and APK fixture kernels are repackaged from. */
const KERNEL = await hostKernelRelease();
const HOST_MODULES = `/lib/modules/${KERNEL}`;
const VERSION = '9.9.9-boot';

describe.each(BUILTIN_VARIANTS)('the boot modules of %s', (variant) => {
  it('require the live medium and the file systems /init mounts from the disk', async () => {
    const spec = await loadVariant(variant);
    const { wanted, required } = liveBootModules(spec.disk.partitions);
    const mounted = spec.disk.partitions.filter((partition) => partition.role !== 'esp');
    expect(required).toEqual(
      expect.arrayContaining([
        ...LIVE_MEDIUM_MODULES,
        ...mounted.map((partition) => FILESYSTEM_MODULES[partition.filesystem]),
      ]),
    );
    // The fixture kernels carry every live-boot module: kernel-modules-core selects them all.
    expect(LIVE_BOOT_MODULES).toEqual(expect.arrayContaining([...required]));
    expect(wanted).toEqual(LIVE_BOOT_MODULES);
  });

  it("finds every required module in Debian's kernel, as a module or built in", async () => {
    const spec = await loadVariant(variant);
    const { required } = liveBootModules(spec.disk.partitions);
    const closure = await moduleClosure(hostDirectoryRoot('/'), KERNEL, required);
    expect(closure.missing).toEqual([]);
  });
});

describe('liveBootModules', () => {
  it('requires a file system only where /init mounts it, and adds it when not carried', () => {
    const { wanted, required } = liveBootModules([
      { role: 'esp', filesystem: 'vfat' },
      { role: 'system', filesystem: 'btrfs' },
      { role: 'var', filesystem: 'ext4' },
    ]);
    expect(required).toEqual([...LIVE_MEDIUM_MODULES, 'btrfs', 'ext4']);
    expect(required).not.toContain('vfat');
    expect(wanted).toEqual([...LIVE_BOOT_MODULES, 'btrfs']);
  });
});

describe('an initramfs whose kernel lacks a required module', () => {
  let dir: string;
  let root: string;
  const moduleDir = () => join(root, 'lib', 'modules', VERSION);
  const input = (): InitramfsInput => ({
    root: hostDirectoryRoot(root),
    kernelVersion: VERSION,
    shell: busyboxShell(),
    tools: [],
    modules: ['isofs', 'squashfs', 'nvme'],
    required: { modules: ['isofs', 'squashfs', 'loop', 'overlay'], kernelPackage: 'kernel-core' },
    compression: 'none',
    epoch: 1_700_000_000,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'boot-modules-'));
    root = join(dir, 'root');
    await mkdir(join(root, 'bin'), { recursive: true });
    await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
    for (const module of [
      'fs/isofs/isofs.ko',
      'drivers/cdrom/cdrom.ko',
      'fs/squashfs/squashfs.ko',
    ]) {
      await mkdir(join(moduleDir(), 'kernel', module, '..'), { recursive: true });
      await copyFile(join(HOST_MODULES, 'kernel', module), join(moduleDir(), 'kernel', module));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails naming the modules, the kernel and its package', async () => {
    await writeFile(join(moduleDir(), 'modules.builtin'), 'kernel/drivers/block/loop.ko\n');
    const failure = await buildInitramfs(input()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    const error = failure as UserError;
    expect(error.code).toBe('initramfs-module-missing');
    expect(error.message).toBe(
      `the kernel ${VERSION} from kernel-core has neither as a module nor built in: overlay; ` +
        'the live and installed systems cannot find or mount their root without it',
    );
    expect(error.hint).toMatch(/add the package that ships it to the variant's packages/);
  });

  it('builds when the kernel has them built in, an optional one missing only reported', async () => {
    await writeFile(
      join(moduleDir(), 'modules.builtin'),
      'kernel/drivers/block/loop.ko\nkernel/fs/overlayfs/overlay.ko\n',
    );
    const { report } = await buildInitramfs(input());
    expect(report.modules).toEqual(['cdrom', 'isofs', 'squashfs']);
    expect(report.builtinModules).toEqual(['loop', 'overlay']);
    expect(report.missingModules).toEqual(['nvme']);
  });
});
