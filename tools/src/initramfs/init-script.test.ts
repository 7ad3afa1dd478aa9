import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { liveInitFunctions, liveInitScript } from './init-script.ts';

const runner = createRunner();

/** The shells /init must run under: busybox ash (AcornOS), bash (LevitateOS), and dash as a POSIX check. */
const SHELLS: readonly [string, string[]][] = [
  ['busybox ash', ['/bin/busybox', 'sh']],
  ['bash', ['/bin/bash']],
  ['dash', ['/bin/dash']],
];

let dir: string;
let functions: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'live-init-'));
  functions = await liveInitFunctions();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(SHELLS)('/init under %s', (_name, shell) => {
  const run = async (body: string) =>
    (await runner.run([...shell, '-c', `${functions}\n${body}`], { allowExitCodes: [1] })).stdout;

  it('parses without syntax errors', async () => {
    await runner.run([...shell, '-n', '-c', await liveInitScript()]);
  });

  it('reads the live options from the kernel command line', async () => {
    const show =
      'echo "$live_label|$live_dir|$live_squashimg|$live_shell|$live_break|$live_init|$live_image"';
    expect(
      await run(
        `parse_cmdline 'BOOT_IMAGE=/vmlinuz root=live:CDLABEL=LIVETEST rd.live.image console=ttyS0'; ${show}`,
      ),
    ).toBe('LIVETEST|LiveOS|squashfs.img|0|0|/sbin/init|1\n');
    expect(
      await run(
        `parse_cmdline 'root=live:LABEL=Acorn\\x20Live\\x201 rd.live.dir=acorn rd.live.squashimg=root.sfs rd.shell rd.break init=/lib/systemd/systemd *'; ${show}`,
      ),
    ).toBe('Acorn Live 1|acorn|root.sfs|1|1|/lib/systemd/systemd|0\n');
    expect(await run(`parse_cmdline 'root=/dev/sda1 quiet'; ${show}`)).toBe(
      '|LiveOS|squashfs.img|0|0|/sbin/init|0\n',
    );
  });

  it('reads an installed root from the kernel command line', async () => {
    const show = 'echo "$live_label|$disk_root|$disk_mode|$disk_fstype|$disk_flags"';
    expect(
      await run(`parse_cmdline 'root=PARTLABEL=system-b rw console=ttyS0,115200'; ${show}`),
    ).toBe('|PARTLABEL=system-b|rw||\n');
    expect(
      await run(
        `parse_cmdline 'root=UUID=0a1b ro rootfstype=xfs rootflags=noatime,nodiscard'; ${show}`,
      ),
    ).toBe('|UUID=0a1b|ro|xfs|noatime,nodiscard\n');
    expect(await run(`parse_cmdline 'root=/dev/vda2'; ${show}`)).toBe('|/dev/vda2|ro||\n');
  });

  it('takes only block devices for a /dev root', async () => {
    expect(await run('resolve_device /dev/null || echo none')).toBe('none\n');
    expect(await run('resolve_device /dev/loop0 || echo none')).toBe('/dev/loop0\n');
    expect(await run('resolve_device SERIAL=x || echo none')).toBe('none\n');
  });

  it("mounts /var as the installed root's fstab names it, and nothing else", async () => {
    const fstab = join(dir, `fstab-${shell.length}`);
    await writeFile(
      fstab,
      [
        '# /dev/vda2 LABEL=system-a',
        'UUID=aaaa\t/\text4\trw,relatime\t0 1',
        '',
        'UUID=eeee /boot vfat rw,fmask=0022 0 2',
        'PARTLABEL=var   /var  ext4  rw,noatime  0 2',
        '',
      ].join('\n'),
    );
    const output = await run(
      [
        `DISK_FSTAB='${fstab}'`,
        'wait_for_device() { device=/dev/found-$1; }',
        'mount() { echo "mount $*"; }',
        'mount_disk_var',
      ].join('\n'),
    );
    expect(output).toBe(
      'mount -t ext4 -o rw,noatime /dev/found-PARTLABEL=var /sysroot/var\nlive: mounted /dev/found-PARTLABEL=var on /var\n',
    );
    expect(await run(`DISK_FSTAB=/nonexistent; mount_disk_var && echo none`)).toBe('none\n');
  });

  it('reads the ISO 9660 volume label of an image, and nothing from other files', async () => {
    const content = join(dir, `content-${shell.length}`);
    await mkdir(content, { recursive: true });
    await writeFile(join(content, 'hello.txt'), 'hello\n');
    const iso = join(dir, `test-${shell.length}.iso`);
    await runner.run([
      'xorriso',
      '-as',
      'mkisofs',
      '-quiet',
      '-V',
      'LIVE TEST',
      '-o',
      iso,
      content,
    ]);
    expect(await run(`iso_label '${iso}'`)).toBe('LIVE TEST\n');
    expect(await run(`iso_label '${join(content, 'hello.txt')}' || echo none`)).toBe('none\n');
    expect(await run(`iso_label /nonexistent || echo none`)).toBe('none\n');
  });

  it('loads the listed modules in order, skipping loaded ones and naming failures', async () => {
    const list = join(dir, `modules-${shell.length}`);
    await writeFile(
      list,
      [
        '/lib/modules/v/kernel/lib/crc-t10dif.ko',
        '',
        '/lib/modules/v/kernel/fs/no-good.ko',
        '/lib/modules/v/kernel/fs/isofs.ko',
        '',
      ].join('\n'),
    );
    const output = await run(
      [
        `LIVE_MODULE_LIST='${list}'`,
        'insmod() { echo "insmod $1"; case $1 in *no-good*) return 1 ;; esac; }',
        'load_modules',
      ].join('\n'),
    );
    expect(output).toBe(
      [
        'insmod /lib/modules/v/kernel/lib/crc-t10dif.ko',
        'insmod /lib/modules/v/kernel/fs/no-good.ko',
        'insmod /lib/modules/v/kernel/fs/isofs.ko',
        'live: loaded 2 kernel modules; could not load: no_good',
        '',
      ].join('\n'),
    );
  });

  it('fails with a message, and a hint about rd.shell, by exiting', async () => {
    const result = await runner.run(
      [...shell, '-c', `${functions}\nlive_shell=0\nfail "no medium"\necho not reached`],
      {
        allowExitCodes: [1],
      },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe(
      'live: ERROR: no medium\nlive: add rd.shell to the kernel command line to get a shell here instead of a panic\n',
    );
  });
});
