import { copyFile, lstat, mkdir, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { buildInitramfs } from './build.ts';
import type { InitramfsOutput } from './build.ts';
import { hostModulesDir } from '../test-support/host-kernel.ts';
import { hostDirectoryRoot } from './host-root.ts';
import { liveInitScript } from './init-script.ts';
import { busyboxShell } from './live-boot.ts';

const runner = createRunner();
const EPOCH = 1_700_000_000;
/** The installed Debian kernel's modules, whatever release Debian ships today. */
const DEBIAN_MODULES = await hostModulesDir();
/** Named after the running kernel so that busybox modprobe in a chroot reads this folder. */
const VERSION = release();

let dir: string;
let busyboxRoot: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'initramfs-build-'));
  busyboxRoot = join(dir, 'busybox-root');
  const moduleDir = join(busyboxRoot, 'lib', 'modules', VERSION);
  await mkdir(join(busyboxRoot, 'bin'), { recursive: true });
  await mkdir(moduleDir, { recursive: true });
  await copyFile('/bin/busybox', join(busyboxRoot, 'bin', 'busybox'));
  await runner.run(['cp', '-al', `${DEBIAN_MODULES}/kernel`, join(moduleDir, 'kernel')]);
  await copyFile(`${DEBIAN_MODULES}/modules.builtin`, join(moduleDir, 'modules.builtin'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function extract(output: InitramfsOutput, name: string): Promise<string> {
  const target = join(dir, name);
  await mkdir(target);
  await runner.run(['cpio', '-i', '-d', '--no-absolute-filenames', '--quiet'], {
    cwd: target,
    input: output.bytes,
  });
  return target;
}

describe('a busybox initramfs', () => {
  let output: InitramfsOutput;
  let tree: string;
  beforeAll(async () => {
    output = await buildInitramfs({
      root: hostDirectoryRoot(busyboxRoot),
      kernelVersion: VERSION,
      shell: busyboxShell(),
      tools: [],
      modules: ['isofs', 'squashfs', 'overlay', 'loop', 'no_such_module'],
      compression: 'none',
      epoch: EPOCH,
    });
    tree = await extract(output, 'busybox');
  }, 60_000);

  it('reports the modules in load order and the ones the kernel lacks', () => {
    expect(output.report.modules).toEqual(['cdrom', 'isofs', 'squashfs', 'overlay', 'loop']);
    expect(output.report.missingModules).toEqual(['no_such_module']);
    expect(output.report.libraries).toEqual([]);
    expect(output.report.compressedSize).toBe(output.report.uncompressedSize);
  });

  it('holds /init, busybox with its applet links and the runtime folders', async () => {
    expect(await readFile(join(tree, 'init'), 'utf8')).toBe(await liveInitScript());
    expect((await lstat(join(tree, 'init'))).mode & 0o777).toBe(0o755);
    for (const applet of ['sh', 'mount', 'insmod', 'switch_root', 'dd', 'modprobe']) {
      expect(await readlink(join(tree, 'bin', applet))).toBe('/bin/busybox');
    }
    for (const folder of ['dev', 'proc', 'sys', 'run', 'sysroot', 'tmp']) {
      expect((await lstat(join(tree, folder))).isDirectory()).toBe(true);
    }
    expect((await lstat(join(tree, 'tmp'))).mode & 0o7777).toBe(0o1777);
  });

  it('stamps every entry with the epoch and root ownership', async () => {
    const { stdout } = await runner.run(['cpio', '-t', '-v', '--numeric-uid-gid', '--quiet'], {
      input: output.bytes,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(output.report.files.length);
    for (const line of lines) expect(line).toMatch(/^\S+\s+\d+ 0\s+0\s+.* Nov 14\s+2023 /);
  });

  it('writes the load list, modules.dep and modules.alias for the modules included', async () => {
    const moduleDir = join(tree, 'lib', 'modules', VERSION);
    expect(await readFile(join(tree, 'etc', 'initramfs', 'modules'), 'utf8')).toBe(
      [
        'drivers/cdrom/cdrom',
        'fs/isofs/isofs',
        'fs/squashfs/squashfs',
        'fs/overlayfs/overlay',
        'drivers/block/loop',
      ]
        .map((path) => `/lib/modules/${VERSION}/kernel/${path}.ko\n`)
        .join(''),
    );
    const dep = await readFile(join(moduleDir, 'modules.dep'), 'utf8');
    expect(dep).toContain('kernel/fs/isofs/isofs.ko: kernel/drivers/cdrom/cdrom.ko\n');
    expect(dep).toContain('kernel/fs/squashfs/squashfs.ko:\n');
    expect(await readFile(join(moduleDir, 'modules.alias'), 'utf8')).toContain(
      'alias fs-iso9660 isofs\n',
    );
    expect(await readFile(join(moduleDir, 'modules.builtin'), 'utf8')).toBe(
      await readFile(`${DEBIAN_MODULES}/modules.builtin`, 'utf8'),
    );
    const plain = await readFile(`${DEBIAN_MODULES}/kernel/fs/isofs/isofs.ko`);
    expect((await readFile(join(moduleDir, 'kernel/fs/isofs/isofs.ko'))).equals(plain)).toBe(true);
  });

  it('lets busybox modprobe resolve aliases and dependencies from the files it wrote', async () => {
    const { stdout } = await runner.run(['chroot', tree, '/bin/modprobe', '-D', 'fs-iso9660']);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.trim()),
    ).toEqual([
      `insmod /lib/modules/${VERSION}/kernel/drivers/cdrom/cdrom.ko`,
      `insmod /lib/modules/${VERSION}/kernel/fs/isofs/isofs.ko`,
    ]);
  });

  it('gives the same bytes when built again, busybox getting its applet links by default', async () => {
    const again = await buildInitramfs({
      root: hostDirectoryRoot(busyboxRoot),
      kernelVersion: VERSION,
      shell: { path: '/bin/busybox' },
      tools: [],
      modules: ['isofs', 'squashfs', 'overlay', 'loop', 'no_such_module'],
      compression: 'none',
      epoch: EPOCH,
    });
    expect(Buffer.from(again.bytes).equals(Buffer.from(output.bytes))).toBe(true);
  });

  it('refuses to build when /init would lack a command', async () => {
    await expect(
      buildInitramfs({
        root: hostDirectoryRoot(busyboxRoot),
        kernelVersion: VERSION,
        shell: { path: '/bin/busybox', links: ['/bin/sh', '/bin/mount'] },
        tools: [],
        modules: [],
        compression: 'none',
        epoch: EPOCH,
      }),
    ).rejects.toThrow(/the live \/init needs mkdir, insmod, sleep, cat, dd, switch_root/);
  });
});

describe('a bash + util-linux + kmod initramfs from a merged-/usr glibc root', () => {
  let output: InitramfsOutput;
  let tree: string;
  const tools = [
    '/usr/bin/mount',
    '/usr/bin/umount',
    '/usr/bin/mkdir',
    '/usr/sbin/insmod',
    '/usr/bin/sleep',
    '/usr/bin/cat',
    '/usr/bin/dd',
    '/usr/sbin/switch_root',
    '/usr/bin/ls',
  ];
  beforeAll(async () => {
    output = await buildInitramfs({
      root: hostDirectoryRoot('/'),
      kernelVersion: VERSION,
      shell: { path: '/bin/bash' },
      tools,
      modules: [],
      compression: 'zstd',
      epoch: EPOCH,
    });
    const plain = join(dir, 'glibc.cpio');
    await runner.run(['zstd', '-d', '-q', '-o', plain], { input: output.bytes });
    tree = await extract({ ...output, bytes: new Uint8Array(await readFile(plain)) }, 'glibc');
  }, 60_000);

  it('keeps the root’s links (/bin, /lib64, insmod → kmod) as links', async () => {
    expect(await readlink(join(tree, 'bin'))).toBe('usr/bin');
    expect(await readlink(join(tree, 'lib64'))).toBe('usr/lib64');
    expect(await readlink(join(tree, 'usr/sbin/insmod'))).toBe(await readlink('/usr/sbin/insmod'));
    expect(await readlink(join(tree, 'usr/bin/sh'))).toBe('/bin/bash');
    expect(output.report.files).toContain('/usr/lib/x86_64-linux-gnu/libc.so.6');
  });

  it('carries every library its programs need: they all run in a chroot', async () => {
    const script =
      'mkdir -p /tmp/probe && ls -d /tmp/probe && echo x | cat && dd if=/dev/null 2>/dev/null && sleep 0 && kmod --version >/dev/null && echo ran';
    await mkdir(join(tree, 'dev'), { recursive: true });
    const { stdout } = await runner.run(['chroot', tree, '/bin/sh', '-c', script]);
    expect(stdout).toBe('/tmp/probe\nx\nran\n');
    for (const program of ['/usr/bin/mount', '/usr/sbin/switch_root']) {
      expect((await runner.run(['chroot', tree, program, '--version'])).stdout).toMatch(
        /util-linux/,
      );
    }
  });
});
