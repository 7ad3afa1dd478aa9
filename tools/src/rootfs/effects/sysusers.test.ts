import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostProgram, reference } from '../../test-support/reference.ts';
import { itWithReference } from '../../test-support/reference-suite.ts';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { EPOCH, makeTempDir, newTree, runner, text } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { hostText, materialise, packageOf } from './effects.support.ts';
import type { FileSet } from './effects.support.ts';
import { runScriptEffects } from './registry.ts';
import { sysusersEffect } from './sysusers.ts';
import type { EffectSpec } from './types.ts';

const LEVITATE: EffectSpec = { id: 'levitateos', family: 'rpm', init: 'systemd', services: [] };
const SYSUSERS_PATHS = ['/usr/bin/systemd-sysusers', '/bin/systemd-sysusers'];
const SYSUSERS = SYSUSERS_PATHS.find(existsSync);
const SYSTEMD_SYSUSERS = reference('systemd-sysusers', [hostProgram(SYSUSERS_PATHS, 'systemd')]);
const ACCOUNT_FILES = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'];

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('sysusers');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const SETUP: FileSet = {
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\n',
  '/etc/group': 'root:x:0:\nbin:x:1:\ndaemon:x:2:\nwheel:x:10:\nusers:x:100:\n',
  '/etc/shadow':
    'root:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n',
  '/etc/gshadow': 'root:::\nbin:::\ndaemon:::\nwheel:::\nusers:::\n',
};

const SYSTEMD: FileSet = {
  '/usr/lib/sysusers.d/basic.conf': [
    '# The base accounts',
    'g wheel -',
    'u root 0 "Super User" /root',
    'g nobody 65534',
    'u nobody 65534:65534 "Kernel Overflow User" -',
    'g tty 5',
    'g kmem -',
    'g audio -',
    'm daemon kmem',
    '',
  ].join('\n'),
  '/usr/lib/sysusers.d/systemd-journal.conf': 'g systemd-journal 190\n',
  '/usr/lib/sysusers.d/extra.conf': 'u masked -\n',
};

const DBUS: FileSet = {
  '/usr/lib/sysusers.d/dbus.conf': "u dbus 81 'System Message Bus' - -\n",
};

const APP: FileSet = {
  '/usr/lib/sysusers.d/app.conf': [
    'u app - "App daemon" /var/lib/app',
    'u app-worker -:app',
    'u taken 81',
    'u grouped 300:100',
    'u orphan 400:4000',
    'm app-worker users',
    'm lonely lonelygroup',
    '',
  ].join('\n'),
};

const OVERRIDES: FileSet = {
  '/etc/sysusers.d/extra.conf': 'u unmasked - "Not masked"\n',
};

const COMPAT_PRE = [
  "getent group 'dbus' >/dev/null || groupadd -f -g '81' -r 'dbus' || :",
  "if ! getent passwd 'dbus' >/dev/null; then",
  "    if ! getent passwd '81' >/dev/null; then",
  "        useradd -r -u '81' -g 'dbus' -d '/' -s '/usr/sbin/nologin' -c 'System Message Bus' 'dbus' || :",
  '    else',
  "        useradd -r -g 'dbus' -d '/' -s '/usr/sbin/nologin' -c 'System Message Bus' 'dbus' || :",
  '    fi',
  'fi',
  '',
].join('\n');

async function install(sets: Record<string, FileSet>, scripts: Record<string, string> = {}) {
  const packages = Object.entries(sets).map(([name, files]) =>
    packageOf(
      name,
      files,
      scripts[name] === undefined ? [] : [{ phase: 'pre-install', body: scripts[name] }],
    ),
  );
  for (const pkg of packages) await tree.addPackage(pkg);
  return packages;
}

describe('the sysusers effect', () => {
  itWithReference(
    SYSTEMD_SYSUSERS,
    'writes the same passwd, group, shadow and gshadow as systemd-sysusers --root',
    async () => {
      const sets = { setup: SETUP, systemd: SYSTEMD, dbus: DBUS, app: APP, local: OVERRIDES };
      const packages = await install(sets);
      const report = await runScriptEffects(tree, packages, LEVITATE, [sysusersEffect]);

      const root = join(temp.dir, 'reference');
      for (const files of Object.values(sets)) materialise(root, files);
      await runner.run([SYSUSERS as string, `--root=${root}`], {
        env: { SOURCE_DATE_EPOCH: String(EPOCH) },
      });
      for (const path of ACCOUNT_FILES) {
        expect(text(await tree.readFile(path)), path).toBe(hostText(root, path));
      }
      expect(text(await tree.readFile('/etc/passwd'))).toContain(
        'unmasked:x:993:993:Not masked:/:/usr/sbin/nologin',
      );
      expect(text(await tree.readFile('/etc/passwd'))).not.toContain('\nmasked:x');
      expect(report.effects[0]?.notes.slice(0, 3)).toEqual([
        '/usr/lib/sysusers.d/app.conf:5: user orphan needs the group id 4000, which no group has; not created',
        '/usr/lib/sysusers.d/dbus.conf:1: user id 81 for dbus is taken: allocating one',
        '5 sysusers.d files: 11 groups and 8 users created, 3 memberships added',
      ]);
    },
  );

  it('allocates below SYS_UID_MAX of the login.defs, within r ranges, and notes what it skips', async () => {
    const packages = await install({
      setup: {
        ...SETUP,
        '/etc/login.defs': 'SYS_UID_MIN 201\nSYS_UID_MAX   499\nSYS_GID_MAX 499\n',
      },
      one: { '/usr/lib/sysusers.d/one.conf': 'u first -\nu owned /var/lib/owned\nx odd line\n' },
    });
    const notes = await sysusersEffect.apply({ tree, packages, spec: LEVITATE });
    expect(text(await tree.readFile('/etc/passwd'))).toContain(
      'first:x:499:499::/:/usr/sbin/nologin',
    );
    expect(text(await tree.readFile('/etc/passwd'))).toContain('owned:x:498:498:');
    expect(text(await tree.readFile('/etc/shadow'))).toContain(
      `first:!*:${Math.floor(EPOCH / 86_400)}::::::`,
    );
    expect(text(await tree.readFile('/etc/gshadow'))).toContain('first:!*::\n');
    expect(notes).toContain('/usr/lib/sysusers.d/one.conf:3: unknown line type "x", ignored');
    expect(notes.join('\n')).toContain(
      'user owned takes its id from the owner of /var/lib/owned, which is not supported',
    );

    const ranged = newTree(join(temp.dir, 'ranged'));
    const rangedPackages = [
      packageOf('setup', SETUP),
      packageOf('one', { '/usr/lib/sysusers.d/one.conf': 'r - 600-601\nu a -\nu b -\nu c -\n' }),
    ];
    for (const pkg of rangedPackages) await ranged.addPackage(pkg);
    const rangedNotes = await sysusersEffect.apply({
      tree: ranged,
      packages: rangedPackages,
      spec: LEVITATE,
    });
    const passwd = text(await ranged.readFile('/etc/passwd'));
    expect(passwd).toContain('a:x:601:601:');
    expect(passwd).toContain('b:x:600:600:');
    expect(passwd).not.toContain('\nc:');
    expect(rangedNotes.join('\n')).toContain('no free group id for c; not created');
  });

  it('claims systemd-sysusers calls and the %sysusers_create_compat lines of declared accounts', async () => {
    const inline = [
      'systemd-sysusers --replace=/usr/lib/sysusers.d/app.conf - <<SYSTEMD_INLINE_EOF >/dev/null 2>&1 || :',
      'u app - "App daemon" /var/lib/app',
      'SYSTEMD_INLINE_EOF',
      '',
    ].join('\n');
    const packages = await install(
      { setup: SETUP, dbus: DBUS, app: APP, other: { '/usr/share/other': 'x' } },
      {
        dbus: COMPAT_PRE,
        app: `${inline}getent passwd 'app' >/dev/null || \\\n    useradd -r -g 'app' -d '/var/lib/app' -s '/usr/sbin/nologin' -c 'App daemon' 'app' || :\n`,
        other: "getent group 'other' >/dev/null || groupadd -r 'other' || :\n",
      },
    );
    const report = await runScriptEffects(tree, packages, LEVITATE, [sysusersEffect]);
    expect(report.scripts.map(({ package: name, status }) => [name, status])).toEqual([
      ['dbus', 'covered'],
      ['app', 'covered'],
      ['other', 'not-run'],
    ]);
  });

  it('lets owners wait for the accounts, then resolves them or names what no account defines', async () => {
    const packages = await install({
      setup: SETUP,
      dbus: DBUS,
      data: {},
    });
    const data = packageOf('data', {});
    await tree.addPackage({
      ...data,
      async *entries() {
        yield {
          entry: {
            type: 'directory',
            path: '/var/lib/dbus',
            mode: 0o750,
            user: 'dbus',
            group: 'dbus',
            size: 0,
            mtime: 0,
            flags: [],
          },
        };
      },
    });
    await runScriptEffects(tree, packages, LEVITATE, [sysusersEffect], {
      afterAccounts: async () => {
        await tree.resolveOwners({ unknown: 'error' });
      },
    });
    expect(tree.get('/var/lib/dbus')).toMatchObject({ uid: 81, gid: 81 });
    expect(tree.get('/var/lib/dbus')).not.toHaveProperty('owner');

    const lost = newTree(join(temp.dir, 'lost'));
    await lost.addPackage(packageOf('setup', SETUP));
    await lost.addPackage({
      ...data,
      async *entries() {
        yield {
          entry: {
            type: 'file',
            path: '/srv',
            mode: 0o644,
            user: 'ghost',
            group: 'root',
            size: 0,
            mtime: 0,
            flags: [],
          },
          content: new Uint8Array(),
        };
      },
    });
    const error = await lost.resolveOwners({ unknown: 'error' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as ImageBuildError).message).toContain('/srv of data: user ghost');
  });
});
