import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleUki } from '../boot/uki.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { createRunner } from '../core/run.ts';
import { signPeImage } from '../secure-boot/authenticode.ts';
import { loadSigningKey } from '../secure-boot/signing-key.ts';
import { makeTestCertificate } from '../secure-boot/test-keys.support.ts';
import { asRoot, hostTool, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { INSTALL_TOOLS, installToolSource } from './index.ts';
import type { InstallTool } from './index.ts';

const runner = createRunner();
/** The tools are run on loop-mounted ext4 file systems, which only root can mount. */
const ROOT = reference('root, to loop-mount ext4 file systems', [asRoot()]);
/** Both shells the tools must run under: bash (Rocky) and busybox ash (Alpine). */
const SHELLS: readonly { name: string; argv: readonly string[] }[] = [
  { name: 'bash', argv: ['bash'] },
  { name: 'busybox', argv: ['busybox', 'sh'] },
];

let dir: string;
const mounted: string[] = [];

async function tool(shell: readonly string[], name: InstallTool, args: string[], env = {}) {
  return runner.run([...shell, fileURLToPath(installToolSource(name)), ...args], {
    allowExitCodes: [1, 2, 7, 126, 127],
    env,
  });
}

/** An ext4 file system of `mib` MiB in a file, mounted (through a loop device) on `at`. */
async function mountExt4(name: string, at: string, mib: number, label = name) {
  const image = join(dir, `${name}.img`);
  await runner.run(['truncate', '-s', `${mib}M`, image]);
  await runner.run(['mkfs.ext4', '-q', '-F', '-L', label, image]);
  await mkdir(at, { recursive: true });
  await runner.run(['mount', '-o', 'loop', image, at]);
  mounted.unshift(at);
}

async function unmountAll() {
  for (const at of mounted.splice(0)) {
    await runner.run(['umount', at], { allowExitCodes: [32] });
  }
}

/**
 * A squashfs standing in for the live image: owners, a hard link, a symlink, a capability, a
 * device node, a live-only file and an installed replacement.
 */
async function liveImage(name: string): Promise<string> {
  const src = join(dir, `live-root-${name}`);
  for (const folder of [
    'usr/bin',
    'etc',
    'dev',
    'boot',
    'var/log',
    'usr/lib/recstrap/installed/etc',
  ]) {
    await mkdir(join(src, folder), { recursive: true });
  }
  await writeFile(join(src, 'usr/bin/tool'), 'a tool\n');
  await runner.run(['ln', join(src, 'usr/bin/tool'), join(src, 'usr/bin/tool-link')]);
  await symlink('tool', join(src, 'usr/bin/tool-alias'));
  await runner.run(['cp', '/usr/bin/newuidmap', join(src, 'usr/bin/newuidmap')]);
  await runner.run(['setcap', 'cap_setuid=ep', join(src, 'usr/bin/newuidmap')]);
  await runner.run(['mknod', join(src, 'dev/null'), 'c', '1', '3']);
  await writeFile(join(src, 'etc/inittab'), 'live: autologin\n');
  await writeFile(join(src, 'etc/live-check'), 'live only\n');
  await writeFile(join(src, 'usr/lib/recstrap/installed/etc/inittab'), 'installed: login\n');
  await writeFile(join(src, 'usr/lib/recstrap/live-only'), '# live only\n/etc/live-check\n');
  await writeFile(join(src, 'boot/vmlinuz'), 'kernel\n');
  await runner.run(['chown', '12:34', join(src, 'etc')]);
  await chmod(join(src, 'var/log'), 0o750);
  const image = join(dir, `live-${name}.squashfs`);
  await runner.run(['mksquashfs', src, image, '-quiet', '-noappend', '-no-progress']);
  return image;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'install-tools-'));
});
afterAll(async () => {
  await unmountAll();
  await rm(dir, { recursive: true, force: true });
});

describe('install tool scripts', () => {
  it.each(INSTALL_TOOLS)('%s parses under sh -n and prints its usage', async (name) => {
    await runner.run(['sh', '-n', fileURLToPath(installToolSource(name))]);
    const help = await tool(['sh'], name, ['-h']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain(`usage: ${name}`);
  });
});

describeWithReference(ROOT, 'the install tools on loop-mounted file systems', () => {
  describe.each(SHELLS)('under $name', ({ name, argv: shell }) => {
    describe('recstrap', () => {
      let image: string;
      let target: string;
      beforeAll(async () => {
        image = await liveImage(name);
        target = join(dir, `target-${name}`);
        await mountExt4(`system-${name}`, target, 32);
        await mountExt4(`var-${name}`, join(target, 'var'), 16);
      });
      afterAll(unmountAll);

      it('refuses a folder that is not a mount point', async () => {
        const plain = join(dir, `plain-${name}`);
        await mkdir(plain, { recursive: true });
        const result = await tool(shell, 'recstrap', ['--source', image, plain]);
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain(`${plain} is not a mount point`);
      });

      it('installs the image, keeping what a system needs, and leaves out live-only pieces', async () => {
        const result = await tool(shell, 'recstrap', ['--source', image, target]);
        expect(result.stderr).toBe('');
        expect(result.exitCode).toBe(0);
        expect(result.stdout).toMatch(/verified \d+ entries against the image/);
        const tool1 = await stat(join(target, 'usr/bin/tool'));
        const tool2 = await stat(join(target, 'usr/bin/tool-link'));
        expect(tool2.ino).toBe(tool1.ino);
        expect(tool1.nlink).toBe(2);
        const caps = await runner.run(['getcap', join(target, 'usr/bin/newuidmap')]);
        expect(caps.stdout).toContain('cap_setuid=ep');
        const dev = await stat(join(target, 'dev/null'));
        expect(dev.isCharacterDevice()).toBe(true);
        expect(dev.rdev).toBe((await stat('/dev/null')).rdev);
        const etc = await stat(join(target, 'etc'));
        expect([etc.uid, etc.gid]).toEqual([12, 34]);
        expect((await stat(join(target, 'var/log'))).mode & 0o7777).toBe(0o750);
        expect(await readFile(join(target, 'etc/inittab'), 'utf8')).toBe('installed: login\n');
        await expect(stat(join(target, 'etc/live-check'))).rejects.toThrow();
      });

      it('refuses a target that holds files already, unless forced', async () => {
        const again = await tool(shell, 'recstrap', ['--source', image, target]);
        expect(again.exitCode).toBe(1);
        expect(again.stderr).toContain('is not empty');
        expect(again.stderr).toContain('--force');
        const forced = await tool(shell, 'recstrap', ['--force', '--source', image, target]);
        expect(forced.exitCode).toBe(0);
      });

      it('says when the copy differs from the image', async () => {
        // An unsquashfs that writes one file wrong stands in for a failing disk.
        const bin = join(dir, `bad-unsquashfs-${name}`);
        await mkdir(bin, { recursive: true });
        await writeFile(
          join(bin, 'unsquashfs'),
          '#!/bin/sh\n/usr/bin/unsquashfs "$@" || exit $?\ncase " $* " in *" -d "*) for last; do :; done; ' +
            'while [ $# -gt 1 ]; do [ "$1" = -d ] && t=$2; shift; done; [ -n "$t" ] && echo corrupt > "$t/usr/bin/tool";; esac\n',
          { mode: 0o755 },
        );
        const result = await tool(shell, 'recstrap', ['--force', '--source', image, target], {
          PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
        });
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain('differs from');
        expect(result.stderr).toContain('./usr/bin/tool');
      });

      it('refuses a target too small for the system before writing anything', async () => {
        const big = join(dir, `big-${name}`);
        await mkdir(join(big, 'usr'), { recursive: true });
        await runner.run([
          'dd',
          'if=/dev/urandom',
          `of=${join(big, 'usr/blob')}`,
          'bs=1M',
          'count=12',
        ]);
        const bigImage = join(dir, `big-${name}.squashfs`);
        await runner.run(['mksquashfs', big, bigImage, '-quiet', '-noappend', '-no-progress']);
        const small = join(dir, `small-${name}`);
        await mountExt4(`small-${name}`, small, 8);
        const result = await tool(shell, 'recstrap', ['--source', bigImage, small]);
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toMatch(/MiB free; the system needs 12 MiB/);
        await expect(stat(join(small, 'usr'))).rejects.toThrow();
      });
    });

    describe('recfstab', () => {
      let root: string;
      beforeAll(async () => {
        root = join(dir, `fstab-${name}`);
        await mountExt4(`fstab-root-${name}`, root, 16, 'system-a');
        await mountExt4(`fstab-var-${name}`, join(root, 'var'), 16, 'var');
      });
      afterAll(unmountAll);

      async function blkid(tag: string, at: string) {
        const source = (await runner.run(['findmnt', '-n', '-o', 'SOURCE', at])).stdout.trim();
        return (await runner.run(['blkid', '-s', tag, '-o', 'value', source])).stdout.trim();
      }

      it('names / and /var by UUID by default, with fsck passes', async () => {
        const result = await tool(shell, 'recfstab', [root]);
        expect(result.exitCode).toBe(0);
        const lines = result.stdout
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('#'));
        expect(lines).toEqual([
          `UUID=${await blkid('UUID', root)}\t/\text4\trw,relatime\t0 1`,
          `UUID=${await blkid('UUID', join(root, 'var'))}\t/var\text4\trw,relatime\t0 2`,
        ]);
      });

      it('names them by label with -L', async () => {
        const result = await tool(shell, 'recfstab', ['-L', root]);
        expect(result.stdout).toContain('LABEL=system-a\t/\text4');
        expect(result.stdout).toContain('LABEL=var\t/var\text4');
      });

      it('falls back to the device path, saying so, when a device lacks the tag', async () => {
        const result = await tool(shell, 'recfstab', ['-t', 'PARTLABEL', root]);
        expect(result.stdout).toMatch(/# \/dev\/loop\d+ has no PARTLABEL/);
        expect(result.stdout).toMatch(/^\/dev\/loop\d+\t\/var\text4/m);
      });

      it('refuses an unknown tag and a root with nothing mounted', async () => {
        expect((await tool(shell, 'recfstab', ['-t', 'SERIAL', root])).stderr).toContain(
          "unknown tag 'SERIAL'",
        );
        const nothing = join(dir, `nothing-mounted-${name}`);
        await mkdir(nothing);
        const empty = await tool(shell, 'recfstab', [nothing]);
        expect(empty.exitCode).toBe(1);
        expect(empty.stderr).toContain('nothing is mounted');
      });
    });

    describe('recchroot', () => {
      let root: string;
      beforeAll(async () => {
        root = join(dir, `chroot-${name}`);
        await mkdir(join(root, 'bin'), { recursive: true });
        await runner.run(['cp', '/bin/busybox', join(root, 'bin/busybox')]);
        for (const applet of ['sh', 'cat', 'ls', 'grep']) {
          await symlink('busybox', join(root, 'bin', applet));
        }
      });

      async function mountsUnder(path: string) {
        const info = await readFile('/proc/self/mountinfo', 'utf8');
        return info.split('\n').filter((line) => line.split(' ')[4]?.startsWith(path));
      }

      it('runs a command with /proc, /sys and /dev inside, and passes on its status', async () => {
        const result = await tool(shell, 'recchroot', [
          root,
          '/bin/sh',
          '-c',
          'cat /proc/self/comm; ls /dev/null; ls /sys/kernel >/dev/null && echo sys; exit 7',
        ]);
        expect(result.exitCode).toBe(7);
        expect(result.stdout.split('\n')).toEqual(['cat', '/dev/null', 'sys', '']);
        expect(await mountsUnder(root)).toEqual([]);
      });

      it('takes every mount down and removes the folders it made when the command fails', async () => {
        const result = await tool(shell, 'recchroot', [root, '/bin/no-such-command']);
        expect(result.exitCode).not.toBe(0);
        expect(await mountsUnder(root)).toEqual([]);
        for (const made of ['proc', 'sys', 'dev', 'run']) {
          await expect(stat(join(root, made))).rejects.toThrow();
        }
      });

      it('refuses a folder without a system in it', async () => {
        const result = await tool(shell, 'recchroot', [dir, '/bin/true']);
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain('has no /bin/sh');
      });
    });
  });
});

describe('recupdate on a fake ESP', () => {
  let esp: string;
  let state: string;
  let cmdline: string;
  let osRelease: string;

  beforeAll(async () => {
    const root = join(dir, 'recupdate');
    esp = join(root, 'esp');
    state = join(root, 'state');
    cmdline = join(root, 'cmdline');
    osRelease = join(root, 'os-release');
    await mkdir(join(esp, 'loader', 'entries'), { recursive: true });
    await mkdir(state, { recursive: true });
    await writeFile(osRelease, 'NAME="AcornOS"\nID=acornos\nVERSION_ID=0.1.0\n');
  });

  async function layout(entries: Record<string, string>, defaultEntry: string, running: string) {
    await rm(join(esp, 'loader', 'entries'), { recursive: true, force: true });
    await mkdir(join(esp, 'loader', 'entries'));
    for (const [name, slot] of Object.entries(entries)) {
      await writeFile(
        join(esp, 'loader', 'entries', name),
        `title AcornOS (system-${slot})\nefi /EFI/Linux/acornos-system-${slot}.efi\n`,
      );
    }
    await writeFile(join(esp, 'loader', 'loader.conf'), `timeout 3\ndefault ${defaultEntry}\n`);
    await writeFile(cmdline, `root=PARTLABEL=system-${running} rw console=ttyS0,115200\n`);
  }

  const recupdate = (...args: string[]) =>
    tool(['sh'], 'recupdate', args, {
      RECUPDATE_ESP: esp,
      RECUPDATE_STATE: state,
      RECUPDATE_CMDLINE: cmdline,
      RECUPDATE_OS_RELEASE: osRelease,
      RECUPDATE_HEALTH_DIRS: join(dir, 'recupdate', 'health.d'),
    });

  it('tells the running, default and trial slots apart', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b+1.conf': 'b' }, 'acorn-a.conf', 'a');
    await writeFile(join(state, 'trial'), 'b\n');
    const status = await recupdate('status');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('running: a (system-a)');
    expect(status.stdout).toContain('slot a: acorn-a.conf (default)');
    expect(status.stdout).toContain('trial: b is armed, 1 try left');
    expect(status.stdout).toContain('next boot: acorn-b+1.conf (trial, once)');
  });

  it('refuses a new update while a trial is pending, naming the way out', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b+1.conf': 'b' }, 'acorn-a.conf', 'a');
    const source = join(dir, 'update.iso');
    await writeFile(source, 'not really an ISO');
    const result = await recupdate('apply', '--no-verify', source);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('a trial of slot b is pending (acorn-b+1.conf)');
    expect(result.stderr).toContain('recupdate rollback');
  });

  it('names the UKI a slot starts, and refuses to stage or arm while a trial is pending', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b+1.conf': 'b' }, 'acorn-a.conf', 'a');
    await mkdir(join(esp, 'EFI', 'Linux'), { recursive: true });
    await writeFile(join(esp, 'EFI', 'Linux', 'acornos-system-a.efi'), 'uki a');
    const uki = await recupdate('uki');
    expect(uki.stdout).toBe(`${join(esp, 'EFI', 'Linux', 'acornos-system-a.efi')}\n`);
    const missing = await recupdate('uki', 'b');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('acornos-system-b.efi, the UKI of acorn-b+1.conf, is missing');
    // Both run as root (the machine's tests do), and stop before touching a partition.
    const staged = join(dir, 'staged');
    const stage = await recupdate('stage', staged);
    expect(stage.exitCode).toBe(1);
    expect(stage.stderr).toContain('a trial of slot b is pending (acorn-b+1.conf)');
    const ukiFile = join(esp, 'EFI', 'Linux', 'acornos-system-a.efi');
    const arm = await recupdate('arm', '--uki', ukiFile, staged);
    expect(arm.stderr).toContain('a trial of slot b is pending');
    expect((await recupdate('arm', staged)).stderr).toContain(
      'arm needs --uki FILE and the staged folder',
    );
  });

  it('refuses an image that does not match its checksum, before writing anything', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b.conf': 'b' }, 'acorn-a.conf', 'a');
    await rm(join(state, 'trial'), { force: true });
    const source = join(dir, 'tampered.iso');
    await writeFile(source, 'an image changed after its checksum was taken');
    await writeFile(`${source}.sha256`, `${'0'.repeat(64)}  tampered.iso\n`);
    const result = await recupdate('apply', source);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${source} does not match ${source}.sha256`);
    expect(result.stderr).toContain('nothing was written');
    expect(await readFile(join(esp, 'loader', 'loader.conf'), 'utf8')).toBe(
      'timeout 3\ndefault acorn-a.conf\n',
    );
    const missing = join(dir, 'unchecked.iso');
    await writeFile(missing, 'no checksum beside it');
    expect((await recupdate('apply', missing)).stderr).toContain(`${missing}.sha256 is missing`);
  });

  it('blesses the trial slot when it runs: the entry loses its counter and becomes the default', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b+0-1.conf': 'b' }, 'acorn-a.conf', 'b');
    await writeFile(join(state, 'trial'), 'b\n');
    await writeFile(join(state, 'slot-b'), 'AcornOS 0.1.1\n');
    const result = await recupdate('bless');
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(esp, 'loader', 'loader.conf'), 'utf8')).toBe(
      'timeout 3\ndefault acorn-b.conf\n',
    );
    await expect(stat(join(esp, 'loader', 'entries', 'acorn-b.conf'))).resolves.toBeDefined();
    expect(await readFile(join(state, 'last'), 'utf8')).toMatch(
      /^blessed slot b \(AcornOS 0\.1\.1\)/,
    );
  });

  it('records a trial that never got blessed when the old slot runs again, keeping the default', async () => {
    await layout({ 'acorn-a+0-1.conf': 'a', 'acorn-b.conf': 'b' }, 'acorn-b.conf', 'b');
    await writeFile(join(state, 'trial'), 'a\n');
    const result = await recupdate('bless');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('the trial of slot a failed; slot b stays the default');
    expect(await readFile(join(esp, 'loader', 'loader.conf'), 'utf8')).toContain(
      'default acorn-b.conf',
    );
    await expect(stat(join(esp, 'loader', 'entries', 'acorn-a.conf'))).resolves.toBeDefined();
    expect(await readFile(join(state, 'last'), 'utf8')).toMatch(/^trial of slot a failed/);
  });

  it('rolls back to the other slot on purpose', async () => {
    await layout({ 'acorn-a.conf': 'a', 'acorn-b.conf': 'b' }, 'acorn-b.conf', 'b');
    const result = await recupdate('rollback');
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(esp, 'loader', 'loader.conf'), 'utf8')).toBe(
      'timeout 3\ndefault acorn-a.conf\n',
    );
  });

  it('fails a failing health check only on a trial boot, which is then sent back', async () => {
    await mkdir(join(dir, 'recupdate', 'health.d'), { recursive: true });
    await writeFile(join(dir, 'recupdate', 'health.d', '50-broken'), '#!/bin/sh\nexit 1\n', {
      mode: 0o755,
    });
    await layout({ 'acorn-a.conf': 'a', 'acorn-b+0-1.conf': 'b' }, 'acorn-a.conf', 'b');
    await writeFile(join(state, 'trial'), 'b\n');
    const trial = await recupdate('health');
    expect(trial.exitCode).toBe(1);
    expect(trial.stderr).toContain('health checks of the trial slot failed: 50-broken');
    await layout({ 'acorn-a.conf': 'a', 'acorn-b.conf': 'b' }, 'acorn-a.conf', 'a');
    const ordinary = await recupdate('health');
    expect(ordinary.exitCode).toBe(0);
    expect(ordinary.stdout).toContain('not a trial boot');
    await rm(join(dir, 'recupdate', 'health.d'), { recursive: true });
  });

  it('refuses to run on a system that did not boot from a slot', async () => {
    await writeFile(cmdline, 'root=live:CDLABEL=ACORNOS rd.live.image\n');
    const result = await recupdate('status');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('did not boot from system-a or system-b');
    expect((await recupdate('health')).stdout).toContain('nothing to check');
  });
});

const SIGNING = reference('sbsigntool and openssl', [
  hostTool('sbsign'),
  hostTool('sbverify'),
  hostTool('openssl'),
  hostTool('systemdStub'),
]);

describeWithReference(SIGNING, 'recupdate sign-uki, as apply signs each UKI', () => {
  let sbDir: string;
  let vendorSigned: string;

  const recupdate = (...args: string[]) =>
    tool(['sh'], 'recupdate', args, { RECUPDATE_SB_DIR: sbDir });
  const verifies = async (file: string, cert: string) =>
    (await runner.run(['sbverify', '--cert', cert, file], { allowExitCodes: [1] })).exitCode === 0;

  beforeAll(async () => {
    const root = join(dir, 'sign-uki');
    sbDir = join(root, 'secure-boot');
    await mkdir(sbDir, { recursive: true });
    const machine = makeTestCertificate(sbDir, 'machine');
    await rename(machine.key, join(sbDir, 'db.key'));
    await rename(machine.cert, join(sbDir, 'db.crt'));
    const vendorFiles = makeTestCertificate(root, 'db');
    const uki = assembleUki(new Uint8Array(await readFile(HOST_TOOLS.systemdStub.path)), {
      linux: new Uint8Array(70_001).fill(3),
      osRelease: 'ID=acornos\n',
      cmdline: 'root=PARTLABEL=system-b rw',
      initrd: new Uint8Array(4_099).fill(9),
      uname: '6.1.0-test',
      sbat: [],
      timestamp: 1_700_000_000,
    });
    const vendor = await loadSigningKey(vendorFiles);
    vendorSigned = join(root, 'vendor.efi');
    await writeFile(vendorSigned, signPeImage(uki, vendor));
  });

  it("replaces the vendor's signature with this machine's", async () => {
    const out = join(dir, 'sign-uki', 'machine.efi');
    const result = await recupdate('sign-uki', vendorSigned, out);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await verifies(out, join(sbDir, 'db.crt'))).toBe(true);
    expect(await verifies(out, join(dir, 'sign-uki', 'db.crt'))).toBe(false);
  });

  it('writes nothing when the key does not sign for the certificate', async () => {
    const out = join(dir, 'sign-uki', 'broken.efi');
    await runner.run(['cp', join(sbDir, 'db.crt'), join(dir, 'sign-uki', 'machine.crt')]);
    await runner.run(['cp', join(dir, 'sign-uki', 'db.crt'), join(sbDir, 'db.crt')]);
    try {
      const result = await recupdate('sign-uki', vendorSigned, out);
      expect(result.exitCode).toBe(1);
      // sbsign itself refuses the pair; had it not, sbverify would have.
      expect(result.stderr).toContain(`sbsign could not sign ${vendorSigned}`);
      await expect(stat(out)).rejects.toThrow();
      await expect(stat(`${out}.signing`)).rejects.toThrow();
    } finally {
      await runner.run(['cp', join(dir, 'sign-uki', 'machine.crt'), join(sbDir, 'db.crt')]);
    }
  });

  it('names the folder for the key when there is none', async () => {
    const result = await tool(['sh'], 'recupdate', ['sign-uki', vendorSigned, join(dir, 'x.efi')], {
      RECUPDATE_SB_DIR: join(dir, 'no-such-folder'),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`put db.key and db.crt in ${join(dir, 'no-such-folder')}`);
  });
});
