import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBootMedia, createRunner, writeCpioNewc } from '@levitate/tools';
import type { CpioEntry } from '@levitate/tools';
import { BOOT_MODE_NAMES, Vm } from '@levitate/tools/qemu';
import { WORKSPACE_ROOT } from '@levitate/tools';
import { hostKernel } from './host-kernel.ts';

/**
 * The boot chain on its own: a hybrid ISO made by buildBootMedia from Debian's kernel and a
 * busybox initramfs boots in all four modes and answers on the serial console.
 */
const SENTINEL = 'BOOT-MEDIA-READY';
const EPOCH = 1_700_000_000;
const meta = (mode: number) => ({ mode, uid: 0, gid: 0, mtime: EPOCH });

let work: string;
let iso: string;
let uname: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'boot-media-'));
  const kernel = await hostKernel();
  uname = kernel.uname;
  const init = [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev',
    `echo "${SENTINEL} firmware=$([ -d /sys/firmware/efi ] && echo uefi || echo bios)"`,
    'exec setsid cttyhack sh',
    '',
  ].join('\n');
  const entries: CpioEntry[] = [
    { type: 'directory', path: '/', meta: meta(0o755) },
    // /tmp holds what a command typed on the console prints (Vm.run).
    ...['/bin', '/proc', '/sys', '/dev', '/tmp'].map((path): CpioEntry => ({
      type: 'directory',
      path,
      meta: meta(0o755),
    })),
    {
      type: 'file',
      path: '/bin/busybox',
      meta: meta(0o755),
      content: new Uint8Array(await readFile('/bin/busybox')),
    },
    { type: 'file', path: '/init', meta: meta(0o755), content: new TextEncoder().encode(init) },
  ];
  const initrd = join(work, 'initramfs.img');
  await writeFile(initrd, writeCpioNewc(entries));
  iso = join(work, 'smoke.iso');
  await buildBootMedia(createRunner(), {
    workDir: work,
    output: iso,
    volumeLabel: 'SMOKETEST',
    title: 'Boot media smoke test',
    publisher: 'LevitateOS',
    kernel: kernel.path,
    initrd,
    uname,
    osRelease: 'NAME="Smoke"\nID=smoke\nVERSION_ID=1\nPRETTY_NAME="Smoke test"\n',
    cmdline: ['console=tty0', 'console=ttyS0,115200', 'panic=-1'],
    liveUkiName: 'smoke-live.efi',
    sbat: ['smoke,1,Smoke,smoke,1,https://example.org/'],
    grafts: [],
    epoch: EPOCH,
  });
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(BOOT_MODE_NAMES)('%s', (mode) => {
  it('boots to the sentinel and answers a command', async () => {
    const vm = await Vm.start({ iso, mode, stateDir: join(work, `vm-${mode}`), memoryMiB: 512 });
    try {
      const match = await vm.waitFor(new RegExp(`${SENTINEL} firmware=(\\w+)\\r?\\n`), 120_000);
      expect(match[1]).toBe(mode.startsWith('uefi') ? 'uefi' : 'bios');
      expect(await vm.check('uname -r')).toBe(`${uname}\n`);
    } finally {
      await vm.stop();
    }
  }, 180_000);
});

describe('the vm command for people', () => {
  it('starts a VM in the background, types into it, shows its log and stops it', async () => {
    const env = { LEVITATE_VM_DIR: join(work, 'vm-cli') };
    const vm = (...args: string[]) =>
      execa(process.execPath, [join(WORKSPACE_ROOT, 'tools', 'bin', 'vm.js'), ...args], { env });
    expect(
      (await vm('start', iso, '--mode', 'bios-cd', '--name', 'smoke', '--memory', '512')).stdout,
    ).toMatch(/^started smoke \(SeaBIOS/);
    try {
      const logContains = async (text: string) => {
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          if ((await vm('log', '--name', 'smoke')).stdout.includes(text)) return true;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        return false;
      };
      expect(await logContains(SENTINEL)).toBe(true);
      await vm('send', '--name', 'smoke', '');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await vm('send', '--name', 'smoke', 'echo', 'answer-$((6*7))');
      expect(await logContains('answer-42')).toBe(true);
    } finally {
      expect((await vm('stop', '--name', 'smoke')).stdout).toBe('stopped smoke');
    }
    await expect(vm('log', '--name', 'smoke')).rejects.toMatchObject({ exitCode: 2 });
  }, 180_000);
});
