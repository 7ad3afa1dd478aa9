import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBootMedia, createRunner } from '@levitate/tools';
import type { BinaryRunner } from '@levitate/tools';
import {
  LIVE_BOOT_MODULES,
  buildInitramfs,
  busyboxShell,
  hostDirectoryRoot,
  kernelSupportedCompression,
} from '@levitate/tools/initramfs';
import type { InitramfsInput, InitramfsReport } from '@levitate/tools/initramfs';
import { BOOT_MODE_NAMES, Vm } from '@levitate/tools/qemu';
import type { BootModeName } from '@levitate/tools/qemu';
import { hostKernel } from './host-kernel.ts';

/**
 * Live boot end to end. The /init of buildInitramfs finds the ISO by its volume label,
 * loop-mounts /LiveOS/squashfs.img under a tmpfs overlay and switches to it:
 * - busybox-static with Debian's kernel modules as the package installs them (no modules.dep,
 *   so dependencies come from the modules' modinfo), in all four boot modes;
 * - bash, util-linux, coreutils and kmod from the host's merged-/usr glibc root (as LevitateOS
 *   will have them, no busybox; modules.dep present), CD on BIOS and USB on UEFI.
 */
const SENTINEL = 'LIVE-ROOT-READY';
const LABEL = 'LIVETEST';
const EPOCH = 1_700_000_000;
const BOOT_TIMEOUT_MS = 120_000;
const GLIBC_TOOLS = [
  '/usr/bin/mount',
  '/usr/bin/umount',
  '/usr/bin/mkdir',
  '/usr/bin/ls',
  '/usr/bin/cat',
  '/usr/bin/dd',
  '/usr/bin/sleep',
  '/usr/sbin/switch_root',
  '/usr/sbin/insmod',
];

const LIVE_ROOT_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
echo "${SENTINEL} root=$(awk '$2 == "/" { fs = $3 } END { print fs }' /proc/mounts)"
exec setsid cttyhack sh
`;

let work: string;
let runner: BinaryRunner;
let kernel: { path: string; uname: string };
let squashfs: string;
const isos: Record<string, string> = {};
const reports: Record<string, InitramfsReport> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'live-boot-'));
  runner = createRunner({ sourceDateEpoch: EPOCH });
  kernel = await hostKernel();
  squashfs = await makeLiveSquashfs();
  const compression = kernelSupportedCompression(
    await readFile(`/boot/config-${kernel.uname}`, 'utf8'),
  );
  const common = {
    kernelVersion: kernel.uname,
    modules: LIVE_BOOT_MODULES,
    compression,
    epoch: EPOCH,
  };
  await makeLiveIso('busybox', {
    ...common,
    root: hostDirectoryRoot(await makeBusyboxImageRoot()),
    shell: busyboxShell('/bin/busybox'),
    tools: [],
  });
  await makeLiveIso('glibc', {
    ...common,
    root: hostDirectoryRoot('/'),
    shell: { path: '/bin/bash' },
    tools: GLIBC_TOOLS,
  });
}, 240_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** busybox-static and Debian's modules without the files depmod would write. */
async function makeBusyboxImageRoot(): Promise<string> {
  const root = join(work, 'image-root');
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'lib', 'modules'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  const moduleDir = join(root, 'lib', 'modules', kernel.uname);
  await runner.run(['cp', '-al', `/lib/modules/${kernel.uname}`, moduleDir]);
  for (const file of ['modules.dep', 'modules.dep.bin', 'modules.alias', 'modules.alias.bin']) {
    await rm(join(moduleDir, file), { force: true });
  }
  return root;
}

async function makeLiveSquashfs(): Promise<string> {
  const root = join(work, 'live-root');
  for (const dir of ['bin', 'sbin', 'proc', 'sys', 'dev', 'run', 'tmp', 'etc', 'root']) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  await writeFile(join(root, 'sbin', 'init'), LIVE_ROOT_INIT);
  await chmod(join(root, 'sbin', 'init'), 0o755);
  const image = join(work, 'squashfs.img');
  const options = ['-noappend', '-all-root', '-comp', 'zstd', '-no-progress'];
  await runner.run(['mksquashfs', root, image, ...options]);
  return image;
}

async function makeLiveIso(name: string, input: InitramfsInput): Promise<void> {
  const dir = join(work, name);
  await mkdir(dir);
  const initramfs = await buildInitramfs(input);
  reports[name] = initramfs.report;
  const initrd = join(dir, 'initramfs.img');
  await writeFile(initrd, initramfs.bytes);
  isos[name] = join(dir, 'live.iso');
  await buildBootMedia(runner, {
    workDir: dir,
    output: join(dir, 'live.iso'),
    volumeLabel: LABEL,
    title: 'Live boot test',
    publisher: 'LevitateOS',
    kernel: kernel.path,
    initrd,
    uname: kernel.uname,
    osRelease: 'NAME="Live"\nID=live\nVERSION_ID=1\nPRETTY_NAME="Live boot test"\n',
    cmdline: [
      `root=live:CDLABEL=${LABEL}`,
      'rd.live.image',
      'console=tty0',
      'console=ttyS0,115200',
    ],
    liveUkiName: 'live-test.efi',
    sbat: ['live,1,Live,live,1,https://example.org/'],
    grafts: [{ isoPath: '/LiveOS/squashfs.img', source: squashfs }],
    epoch: EPOCH,
  });
}

async function bootsToTheLiveRoot(name: string, mode: BootModeName): Promise<void> {
  const started = Date.now();
  const iso = isos[name] ?? '';
  const vm = await Vm.start({
    iso,
    mode,
    stateDir: join(work, `vm-${name}-${mode}`),
    memoryMiB: 512,
  });
  try {
    const match = await vm.waitFor(new RegExp(`${SENTINEL} root=(\\S+)\\r?\\n`), BOOT_TIMEOUT_MS);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const steps = vm.log.split('\n').filter((line) => line.startsWith('live:'));
    console.log(`${name} ${mode}: live root after ${seconds} s\n${steps.join('\n')}`);
    expect(match[1]).toBe('overlay');
    expect(vm.log).toMatch(new RegExp(`live: found ${LABEL} on /dev/(sr0|sda)`));
    expect(vm.log).not.toMatch(/could not load/);
    const mounts = await vm.check('cat /proc/mounts');
    expect(mounts).toMatch(/ \/run\/live\/medium iso9660 ro[, ]/);
    expect(mounts).toMatch(/^\/dev\/loop\d+ \/run\/live\/rootfs squashfs ro[, ]/m);
    expect(mounts).toMatch(/^overlay \/ overlay rw,.*upperdir=\/run\/live\/overlay\/upper/m);
  } finally {
    await vm.stop();
  }
}

it('built both initramfs images with every live-boot module and no missing one', () => {
  for (const report of Object.values(reports)) {
    expect(report.missingModules).toEqual([]);
    expect(report.modules).toEqual(
      expect.arrayContaining(['isofs', 'cdrom', 'squashfs', 'overlay', 'loop', 'sd_mod', 't10_pi']),
    );
    expect(report.modules).not.toContain('crct10dif_pclmul');
    expect(report.files).toContain('/init');
  }
  expect(reports.glibc?.files).not.toContain('/bin/busybox');
  console.log(
    Object.entries(reports)
      .map(
        ([name, report]) => `${name}: ${report.files.length} files, ${report.compressedSize} bytes`,
      )
      .join('\n'),
  );
});

describe.each(BOOT_MODE_NAMES)('busybox initramfs, %s', (mode) => {
  it('finds the medium by label and switches to the squashfs under an overlay', async () => {
    await bootsToTheLiveRoot('busybox', mode);
  }, 180_000);
});

describe.each<BootModeName>(['bios-cd', 'uefi-usb'])(
  'bash + util-linux + kmod initramfs, %s',
  (mode) => {
    it('finds the medium by label and switches to the squashfs under an overlay', async () => {
      await bootsToTheLiveRoot('glibc', mode);
    }, 180_000);
  },
);
