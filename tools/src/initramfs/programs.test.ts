import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostDirectoryRoot } from './host-root.ts';
import { initramfsProgramsFor } from './programs.ts';

let dirs: string[] = [];

async function imageWith(files: readonly string[], links: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'initramfs-programs-'));
  dirs.push(dir);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), '\x7fELF', { mode: 0o755 });
  }
  for (const [link, target] of Object.entries(links)) {
    await mkdir(dirname(join(dir, link)), { recursive: true });
    await symlink(target, join(dir, link));
  }
  return hostDirectoryRoot(dir);
}

afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

const MERGED_USR = { '/bin': 'usr/bin', '/sbin': 'usr/sbin' };
const SYSTEM_TOOLS = ['mount', 'umount', 'mkdir', 'sleep', 'cat', 'dd', 'ls'].map(
  (name) => `/usr/bin/${name}`,
);

describe('initramfsProgramsFor', () => {
  it('takes busybox when the image has it (Alpine)', async () => {
    const root = await imageWith(['/bin/busybox', '/usr/bin/bash']);
    const programs = await initramfsProgramsFor(root);
    expect(programs.kind).toBe('busybox');
    expect(programs.shell.path).toBe('/bin/busybox');
    expect(programs.shell.links).toContain('/bin/switch_root');
  });

  it("takes the image's bash, util-linux, coreutils and kmod otherwise (Rocky)", async () => {
    const root = await imageWith(
      ['/usr/bin/bash', '/usr/bin/kmod', '/usr/sbin/switch_root', ...SYSTEM_TOOLS],
      { ...MERGED_USR, '/usr/sbin/insmod': '../bin/kmod', '/usr/sbin/modprobe': '../bin/kmod' },
    );
    const programs = await initramfsProgramsFor(root);
    expect(programs.kind).toBe('system');
    expect(programs.shell).toEqual({ path: '/usr/bin/bash' });
    expect(programs.tools).toEqual([
      '/usr/bin/mount',
      '/usr/bin/mkdir',
      '/usr/sbin/insmod',
      '/usr/bin/sleep',
      '/usr/bin/cat',
      '/usr/bin/dd',
      '/usr/sbin/switch_root',
      '/usr/bin/umount',
      '/usr/bin/ls',
      '/usr/sbin/modprobe',
    ]);
  });

  it('names the packages that would provide missing commands', async () => {
    const root = await imageWith(['/usr/bin/bash', ...SYSTEM_TOOLS], MERGED_USR);
    await expect(initramfsProgramsFor(root)).rejects.toMatchObject({
      code: 'initramfs-command-missing',
      message: expect.stringContaining('insmod, switch_root'),
      hint: "add kmod, util-linux to the variant's packages",
    });
  });

  it('refuses an image without any shell', async () => {
    const root = await imageWith(SYSTEM_TOOLS);
    await expect(initramfsProgramsFor(root)).rejects.toMatchObject({ code: 'initramfs-no-shell' });
  });
});
