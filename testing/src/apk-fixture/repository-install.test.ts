import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { buildApkFixtureRepository } from './build-repository.ts';
import {
  alpineChrootReference,
  createAlpineChroot,
  describeWithReference,
  hostRunner,
} from '@levitate/tools/test-support';
import type { AlpineChroot } from '@levitate/tools/test-support';

const APK = alpineChrootReference("Alpine's apk 2.14");

/** The signed fixture repository alone; the chroot's apk runs offline with no other. */
const REPO = ['-X', '/fixture/repo', '--keys-dir', '/fixture/keys'];

describeWithReference(APK, "the fixture repository under Alpine's apk add", () => {
  let alpine: AlpineChroot;
  let acorn: VariantSpec;
  let iuppiter: VariantSpec;

  /** `apk add --initdb` of nothing, then `apk add <args>` into `/targets/<name>`. */
  async function add(name: string, args: readonly string[]) {
    const target = `/targets/${name}`;
    await mkdir(alpine.host(target), { recursive: true });
    const init = await alpine.apk(['add', '--root', target, '--initdb', ...REPO]);
    expect(init.exitCode, init.stderr).toBe(0);
    return alpine.apk(['add', '--root', target, '--initdb', ...REPO, ...args]);
  }

  beforeAll(async () => {
    [alpine, acorn, iuppiter] = await Promise.all([
      createAlpineChroot(),
      loadVariant('acorn'),
      loadVariant('iuppiter'),
    ]);
    await buildApkFixtureRepository({ outDir: alpine.host('/fixture'), arch: 'x86_64' });
  }, 180_000);
  afterAll(() => alpine.dispose());

  it.each(['acorn', 'iuppiter'] as const)(
    "resolves the %s variant's packages against the signed index alone",
    async (variant) => {
      const spec = variant === 'acorn' ? acorn : iuppiter;
      const result = await add(`simulate-${variant}`, ['--simulate', ...spec.packages]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/UNTRUSTED|ERROR/);
      for (const name of spec.packages) {
        expect(result.stdout).toMatch(new RegExp(`Installing ${name} \\(`));
      }
    },
  );

  it('installs the acorn variant with its scripts, and OpenRC runs in it', async () => {
    const result = await add('acorn', acorn.packages);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Executing busybox-1.36.1-r29.post-install');
    const target = alpine.host('/targets/acorn');
    for (const path of ['/boot/vmlinuz-lts', '/boot/config-lts', '/boot/System.map-lts']) {
      expect(existsSync(join(target, path)), path).toBe(true);
    }
    const [release] = await readdir(join(target, 'lib/modules'));
    expect(existsSync(join(target, 'lib/modules', release ?? '', 'modules.dep'))).toBe(true);
    expect(existsSync(join(target, 'lib/modules', release ?? '', 'modules.alias.bin'))).toBe(true);
    for (const path of [
      '/sbin/openrc',
      '/bin/busybox',
      '/bin/sh',
      '/sbin/init',
      '/etc/init.d/devfs',
    ]) {
      expect(existsSync(join(target, path)), path).toBe(true);
    }
    const version = await hostRunner.run(['chroot', target, '/sbin/openrc', '--version']);
    expect(version.stdout).toMatch(/^openrc \(OpenRC\) \d+\.\d+/);
  }, 120_000);

  it("has every service the variants enable, and Debian's OpenRC orders them", async () => {
    const target = alpine.host('/targets/acorn');
    // Services whose script the variant's overlay brings are not the packages' business.
    const fromOverlay = (name: string) =>
      acorn.overlays.some((overlay) => existsSync(join(overlay.dir, 'etc/init.d', name)));
    const packaged = acorn.services.filter((service) => !fromOverlay(service.name));
    expect(packaged.map((service) => service.name)).toEqual(
      expect.arrayContaining(['devfs', 'mdev', 'syslog', 'mount-ro', 'savecache']),
    );
    for (const service of packaged) {
      const script = `/etc/init.d/${service.name}`;
      const syntax = await hostRunner.run(['chroot', target, '/bin/sh', '-n', script]);
      expect(syntax.exitCode).toBe(0);
      const runlevel = join(target, 'etc/runlevels', service.runlevel ?? 'default');
      await mkdir(runlevel, { recursive: true });
      await symlink(script, join(runlevel, service.name));
    }
    await mkdir(join(target, 'run/openrc'), { recursive: true });
    await hostRunner.run(['chroot', target, '/lib/rc/bin/rc-depend', '--update']);
    // hwdrivers needs `dev` (mdev provides it), mdev needs `dev-mount` (devfs provides it).
    const order = await hostRunner.run(['chroot', target, '/lib/rc/bin/rc-depend', 'hwdrivers']);
    expect(order.stdout.trim().split(/\s+/)).toEqual(['devfs', 'mdev', 'hwdrivers']);
    const describe = await hostRunner.run(
      ['chroot', target, '/sbin/openrc-run', '/etc/init.d/mdev', 'describe'],
      { allowExitCodes: [1] },
    );
    expect(describe.stdout + describe.stderr).toContain('busybox mdev');
    expect(describe.stderr).not.toContain('insserv.conf');
  });

  it('starts devfs, mdev, hostname, bootmisc and syslog with openrc, in private namespaces', async () => {
    const target = alpine.host('/targets/acorn');
    // Only services that cannot change the host run here, alone in their runlevel: the console
    // log level, sysctls, kernel modules, remounts and killing are left to boot tests. They run
    // in their own mount, UTS, IPC and PID namespaces, on a private /dev and a read-only
    // /proc/sys.
    const safe = ['devfs', 'mdev', 'hostname', 'bootmisc', 'syslog'];
    for (const level of await readdir(join(target, 'etc/runlevels'))) {
      await rm(join(target, 'etc/runlevels', level), { recursive: true });
    }
    await mkdir(join(target, 'etc/runlevels/fixture'), { recursive: true });
    for (const name of safe) {
      await symlink(`/etc/init.d/${name}`, join(target, 'etc/runlevels/fixture', name));
    }
    await rm(join(target, 'run/openrc'), { recursive: true, force: true });
    await writeFile(join(target, 'etc/hostname'), 'fixture-host\n');
    const prepare = [
      'mount -t tmpfs -o mode=0755 fixture-dev "$1/dev"',
      'mknod -m 666 "$1/dev/null" c 1 3',
      'mount --bind -o ro "$1/proc/sys" "$1/proc/sys"',
      'exec chroot "$1" /bin/sh -c "$2"',
    ].join(' && ');
    const inside = [
      '/sbin/openrc fixture',
      'rc-status fixture',
      'logger fixture-says-hello',
      // syslogd writes when it gets to it: wait up to 10 s for the line, not a fixed second.
      'i=0; while [ $i -lt 100 ] && ! grep -q fixture-says-hello /var/log/messages; do sleep 0.1; i=$((i+1)); done',
      'cat /var/log/messages',
      'test -c /dev/zero && echo mdev-made-dev-zero',
    ].join(' && ');
    const namespaces = ['--mount', '--uts', '--ipc', '--pid', '--fork'];
    const proc = `--mount-proc=${join(target, 'proc')}`;
    const argv = ['unshare', ...namespaces, proc, 'sh', '-c', prepare, 'sh', target, inside];
    const { stdout } = await hostRunner.run(argv);
    for (const name of safe) {
      expect(stdout).toMatch(new RegExp(` ${name} +\\[ +started +\\]`));
    }
    expect(stdout).toMatch(/fixture-host .*fixture-says-hello/);
    expect(stdout).toContain('mdev-made-dev-zero');
  });

  it('installs the iuppiter variant, whose glibc disk tools run beside musl', async () => {
    const result = await add('iuppiter', iuppiter.packages);
    expect(result.exitCode, result.stderr).toBe(0);
    const target = alpine.host('/targets/iuppiter');
    const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    const smartctl = await hostRunner.run(['chroot', target, 'smartctl', '--version'], { env });
    expect(smartctl.stdout).toMatch(/^smartctl \d+\.\d+/);
    for (const argv of [
      ['parted', '--version'],
      ['lsblk', '--version'],
      ['nvme', 'version'],
    ]) {
      const tool = await hostRunner.run(['chroot', target, ...argv], { env });
      expect(tool.exitCode, argv.join(' ')).toBe(0);
    }
  }, 120_000);

  it("installs nodejs with Alpine's apk, and Node.js runs ES modules and has fetch in the root", async () => {
    const result = await add('nodejs', ['nodejs']);
    expect(result.exitCode, result.stderr).toBe(0);
    const node = await hostRunner.run([
      'chroot',
      alpine.host('/targets/nodejs'),
      '/usr/bin/node',
      '--input-type=module',
      '-e',
      "import { createHash } from 'node:crypto'; console.log(process.versions.node.split('.')[0] >= 18, typeof fetch, createHash('sha256').update('').digest('hex').slice(0, 8));",
    ]);
    expect(node.stdout.trim()).toBe('true function e3b0c442');
  }, 120_000);
});
