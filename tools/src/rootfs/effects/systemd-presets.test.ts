import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostProgram, reference } from '../../test-support/reference.ts';
import { itWithReference } from '../../test-support/reference-suite.ts';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { makeTempDir, newTree, runner, syntheticPackage } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { materialise, packageOf } from './effects.support.ts';
import type { FileSet } from './effects.support.ts';
import { runScriptEffects } from './registry.ts';
import { systemdPresetsEffect } from './systemd-presets.ts';
import { expandSpecifiers, parseUnitName } from './unit-files.ts';
import type { EffectSpec } from './types.ts';

const SYSTEMCTL_PATHS = ['/usr/bin/systemctl', '/bin/systemctl'];
const SYSTEMCTL = SYSTEMCTL_PATHS.find(existsSync);
const SYSTEMD_SYSTEMCTL = reference('systemctl', [hostProgram(SYSTEMCTL_PATHS, 'systemd')]);
const SERVICES = ['getty@tty1.service', 'serial-getty@ttyS0.service'];
const LEVITATE: EffectSpec = {
  id: 'levitateos',
  family: 'rpm',
  init: 'systemd',
  services: SERVICES.map((name) => ({ name })),
};

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('presets');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const unit = (install: string, description = 'test') =>
  `[Unit]\nDescription=${description}\n\n[Service]\nExecStart=/bin/true\n${install === '' ? '' : `\n[Install]\n${install}\n`}`;

const U = '/usr/lib/systemd/system';
const UNITS: FileSet = {
  [`${U}/getty@.service`]: unit('WantedBy=getty.target\nDefaultInstance=tty1'),
  [`${U}/serial-getty@.service`]: unit('WantedBy=getty.target'),
  [`${U}/autovt@.service`]: { link: 'getty@.service' },
  [`${U}/getty.target`]: '[Unit]\nDescription=Login Prompts\n',
  [`${U}/sshd.service`]: unit('WantedBy=multi-user.target'),
  [`${U}/sshd.socket`]: unit('WantedBy=sockets.target\nAlso=sshd-keygen.service'),
  [`${U}/sshd-keygen.service`]: unit('RequiredBy=sshd.service'),
  [`${U}/dbus-broker.service`]: unit('Alias=dbus.service\nWantedBy=multi-user.target'),
  [`${U}/systemd-resolved.service`]: unit(
    'WantedBy=multi-user.target\nAlias=dbus-org.freedesktop.resolve1.service\nAlso=systemd-resolved-monitor.socket',
  ),
  [`${U}/systemd-resolved-monitor.socket`]: unit('WantedBy=sockets.target'),
  [`${U}/foo.service`]: unit('WantedBy=multi-user.target'),
  [`${U}/masked.service`]: unit('WantedBy=multi-user.target'),
  [`${U}/static.service`]: unit(''),
  [`${U}/inst@.service`]: unit('WantedBy=sub-%i.target %N.target\nWantedBy=\nWantedBy=%p.target'),
  '/etc/systemd/system/masked.service': { link: '/dev/null' },
  '/usr/lib/systemd/system-preset/90-default.preset': [
    '# distribution presets',
    'enable getty@.service',
    'enable sshd.socket',
    'enable dbus-broker.service',
    'enable systemd-resolved.service',
    'enable inst@.service a b',
    'disable foo.service',
    'enable masked.service',
    '',
  ].join('\n'),
  '/usr/lib/systemd/system-preset/99-default-disable.preset': 'disable *\n',
  '/etc/systemd/system-preset/50-local.preset':
    'disable sshd.service\nenable serial-getty@.service ttyS1\n',
};

/** Every symlink below `dir` on the host, as image paths. */
function hostLinks(root: string, dir: string, out = new Map<string, string>()) {
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    const info = lstatSync(join(root, path));
    if (info.isSymbolicLink()) out.set(path, readlinkSync(join(root, path)));
    else if (info.isDirectory()) hostLinks(root, path, out);
  }
  return out;
}

function treeLinks(image: ImageTree, dir: string) {
  const out = new Map<string, string>();
  for (const path of image.paths()) {
    const node = image.get(path);
    if (path.startsWith(`${dir}/`) && node?.kind === 'symlink') out.set(path, node.target);
  }
  return out;
}

describe('the systemd presets effect', () => {
  itWithReference(
    SYSTEMD_SYSTEMCTL,
    'makes the links of systemctl --root preset-all plus enable of the variant services',
    async () => {
      const pkg = packageOf('units', UNITS);
      await tree.addPackage(pkg);
      const report = await runScriptEffects(tree, [pkg], LEVITATE, [systemdPresetsEffect]);

      const root = join(temp.dir, 'root');
      materialise(root, UNITS);
      // systemctl reports the masked unit it was told to enable as a failure.
      await runner.run([SYSTEMCTL as string, `--root=${root}`, 'preset-all'], {
        allowExitCodes: [1],
      });
      await runner.run([SYSTEMCTL as string, `--root=${root}`, 'enable', ...SERVICES]);
      const expected = hostLinks(root, '/etc/systemd/system');
      expect(Object.fromEntries(treeLinks(tree, '/etc/systemd/system'))).toEqual(
        Object.fromEntries(expected),
      );
      expect(
        expected.get('/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service'),
      ).toBe(`${U}/serial-getty@.service`);
      expect(report.effects[0]?.notes).toEqual([
        '3 preset files: 6 units enabled by preset (dbus-broker.service, getty@.service, inst@.service, serial-getty@.service, sshd.socket, systemd-resolved.service), 4 disabled by preset; 11 links made',
        'enabled for the variant: getty@tty1.service, serial-getty@ttyS0.service',
      ]);
    },
  );

  it('is idempotent and leaves a link that points elsewhere, with a note', async () => {
    // UpheldBy= is newer than the host's systemctl: checked here only.
    const pkg = packageOf('units', {
      ...UNITS,
      [`${U}/upheld.service`]: unit('UpheldBy=multi-user.target'),
      '/etc/systemd/system-preset/10-upheld.preset': 'enable upheld.service\n',
      '/etc/systemd/system/sockets.target.wants/sshd.socket': { link: '/opt/sshd.socket' },
    });
    await tree.addPackage(pkg);
    const first = await systemdPresetsEffect.apply({ tree, packages: [pkg], spec: LEVITATE });
    expect(first).toContain(
      `/etc/systemd/system/sockets.target.wants/sshd.socket exists and does not point at ${U}/sshd.socket`,
    );
    const links = treeLinks(tree, '/etc');
    expect(links.get('/etc/systemd/system/multi-user.target.upholds/upheld.service')).toBe(
      `${U}/upheld.service`,
    );
    await systemdPresetsEffect.apply({ tree, packages: [pkg], spec: LEVITATE });
    expect(treeLinks(tree, '/etc')).toEqual(links);
  });

  it('finds units through /lib → usr/lib once and names a service no package ships', async () => {
    const pkg = packageOf('units', { [`${U}/getty@.service`]: unit('WantedBy=getty.target') });
    await tree.addPackage(
      syntheticPackage('filesystem', [
        { path: '/usr', rpm: true },
        { path: '/usr/lib', rpm: true },
        { path: '/lib', linkTarget: 'usr/lib', rpm: true },
      ]),
    );
    await tree.addPackage(pkg);
    const error = await systemdPresetsEffect
      .apply({ tree, packages: [pkg], spec: LEVITATE })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as ImageBuildError).message).toBe(
      'service serial-getty@ttyS0.service cannot be enabled: no unit file serial-getty@ttyS0.service nor its template serial-getty@.service is in the image',
    );
    expect((error as ImageBuildError).hint).toContain(
      'add the package that ships serial-getty@.service',
    );
    expect(tree.get('/etc/systemd/system/getty.target.wants/getty@tty1.service')).toMatchObject({
      kind: 'symlink',
      target: `${U}/getty@.service`,
    });
  });

  it('claims systemctl preset and enable lines and %systemd_post, not daemon-reload or user units', async () => {
    const pkg = packageOf('units', UNITS);
    await tree.addPackage(pkg);
    await systemdPresetsEffect.apply({ tree, packages: [pkg], spec: LEVITATE });
    const claim = (body: string) =>
      systemdPresetsEffect.claims(pkg, { phase: 'post-install', body });
    expect(
      claim(
        [
          'if [ $1 -eq 1 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then',
          '    # Initial installation',
          '    /usr/lib/systemd/systemd-update-helper install-system-units sshd.service || :',
          'fi',
        ].join('\n'),
      ),
    ).toEqual([0, 2, 3]);
    expect(
      claim(
        'systemctl daemon-reexec &>/dev/null || :\nsystemctl preset-all &>/dev/null || :\nsystemctl --global preset-all\nsystemctl enable sshd.socket\nsystemctl enable foo.service\n',
      ),
    ).toEqual([1, 3]);
  });

  it('expands the [Install] specifiers of an instance and refuses unknown ones', () => {
    const name = parseUnitName('systemd-fsck@dev-disk-by\\x2dlabel-root.service');
    if (name === undefined) throw new Error('unit name not parsed');
    expect(expandSpecifiers('%n|%N|%p|%P|%i|%I|%j|%f|%%', name, 'x')).toBe(
      'systemd-fsck@dev-disk-by\\x2dlabel-root.service|systemd-fsck@dev-disk-by\\x2dlabel-root|systemd-fsck|systemd/fsck|dev-disk-by\\x2dlabel-root|dev/disk/by-label/root|fsck|/dev/disk/by-label/root|%',
    );
    expect(() => expandSpecifiers('%H.target', name, '/usr/lib/systemd/system/x@.service')).toThrow(
      ImageBuildError,
    );
  });
});
