import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alpineChrootReference } from '../../test-support/alpine-chroot.ts';
import type { VerifiedPackage } from '../../backend/types.ts';
import { fixture } from '../../test-support/fixtures.ts';
import { describeWithReference } from '../../test-support/reference-suite.ts';
import type { ImageTree } from '../image-tree.ts';
import {
  EPOCH,
  MINIROOTFS,
  accountDataPackage,
  makeTempDir,
  newTree,
  runner,
  syntheticPackage,
  text,
  verifiedApk,
} from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { runScriptEffects } from './registry.ts';
import type { EffectSpec } from './types.ts';

const ACORN: EffectSpec = { id: 'acornos', family: 'apk', init: 'openrc', services: [] };
const DAY = Math.floor(EPOCH / 86400);

/** Install scripts in the shape Alpine's aports write them. */
const SCRIPTS: readonly [name: string, body: string][] = [
  [
    'chrony',
    '#!/bin/sh\n\naddgroup -S chrony 2>/dev/null\nadduser -S -D -H -h /var/lib/chrony -s /sbin/nologin -G chrony -g chrony chrony 2>/dev/null\n\nexit 0\n',
  ],
  [
    'nginx',
    '#!/bin/sh\n\naddgroup -S nginx 2>/dev/null\nadduser -S -D -H -h /var/lib/nginx -s /sbin/nologin -G nginx -g nginx nginx 2>/dev/null\naddgroup nginx www-data 2>/dev/null\n\nexit 0\n',
  ],
  [
    'gitea',
    '#!/bin/sh\n\nadduser -S -D -h /var/lib/gitea -s /bin/sh -G www-data -g gitea gitea 2>/dev/null\n\nexit 0\n',
  ],
  [
    'openssh',
    '#!/bin/sh\naddgroup -S -g 22 sshd 2>/dev/null\nadduser -S -D -H -u 22 -h /var/empty -s /sbin/nologin -G sshd -g sshd sshd 2>/dev/null\nexit 0\n',
  ],
  [
    'dbus',
    '#!/bin/sh\nadduser -S -D -H -h /dev/null -s /sbin/nologin messagebus 2>/dev/null || true\nexit 0\n',
  ],
  ['desktop', '#!/bin/sh\nadduser -D -s /bin/ash alice\n'],
];

const scriptPackages = (): VerifiedPackage[] =>
  SCRIPTS.map(([name, body]) =>
    syntheticPackage(name, [], [{ phase: 'pre-install', interpreter: '/bin/sh', body }]),
  );

const layout = syntheticPackage('layout', [
  { path: '/home' },
  { path: '/var' },
  { path: '/var/lib' },
  { path: '/etc/skel' },
  { path: '/etc/skel/.profile', content: 'export PS1="$ "\n' },
]);

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('accounts');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const linesOf = async (path: string) =>
  text(await tree.readFile(path))
    .trimEnd()
    .split('\n');

describe('the apk-accounts effect', () => {
  it("applies alpine-baselayout's real pre-install and reports its other scripts", async () => {
    const { pkg } = await verifiedApk(
      fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
      fixture('keys', 'alpine'),
    );
    const data = await accountDataPackage(temp.dir);
    await tree.addPackage(data);
    await tree.addPackage(pkg);
    const report = await runScriptEffects(tree, [data, pkg], ACORN);
    // The minirootfs already has shadow:x:42:, so busybox fails and the script carries on.
    expect(report.effects[0]?.notes).toEqual([
      "alpine-baselayout pre-install: failed as busybox would: group 'shadow' in use",
    ]);
    expect(report.scripts.map((script) => [script.phase, script.status])).toEqual([
      ['pre-install', 'covered'],
      ['post-install', 'not-run'],
      ['pre-upgrade', 'not-applicable'],
      ['post-upgrade', 'not-applicable'],
    ]);
    expect(report.scriptsNotRun).toEqual([{ package: 'alpine-baselayout', phase: 'post-install' }]);
  });

  it('creates the shadow group when the image lacks it', async () => {
    const { pkg } = await verifiedApk(
      fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
      fixture('keys', 'alpine'),
    );
    await tree.addPackage(
      syntheticPackage('data', [
        { path: '/etc/group', content: 'root:x:0:root\nwheel:x:10:root\n' },
      ]),
    );
    await runScriptEffects(tree, [pkg], ACORN);
    expect(await linesOf('/etc/group')).toEqual([
      'root:x:0:root',
      'wheel:x:10:root',
      'shadow:x:42:',
    ]);
  });

  it('allocates system ids like busybox and writes passwd, group, shadow and home folders', async () => {
    const data = await accountDataPackage(temp.dir);
    const packages = [data, layout, ...scriptPackages()];
    for (const pkg of packages) await tree.addPackage(pkg);
    const report = await runScriptEffects(tree, packages, ACORN);
    expect((await linesOf('/etc/passwd')).slice(-6)).toEqual([
      'nobody:x:65534:65534:nobody:/:/sbin/nologin',
      'chrony:x:100:101:chrony:/var/lib/chrony:/sbin/nologin',
      'nginx:x:101:102:nginx:/var/lib/nginx:/sbin/nologin',
      'gitea:x:102:82:gitea:/var/lib/gitea:/bin/sh',
      'messagebus:x:103:65533:Linux User,,,:/dev/null:/sbin/nologin',
      'alice:x:1000:1000:Linux User,,,:/home/alice:/bin/ash',
    ]);
    const groups = await linesOf('/etc/group');
    expect(groups).toEqual(
      expect.arrayContaining([
        'www-data:x:82:nginx,gitea',
        'nogroup:x:65533:messagebus',
        'chrony:x:101:chrony',
        'nginx:x:102:nginx',
        'alice:x:1000:',
      ]),
    );
    expect((await linesOf('/etc/shadow')).slice(-2)).toEqual([
      `messagebus:!:${DAY}:0:99999:7:::`,
      `alice:!:${DAY}:0:99999:7:::`,
    ]);
    expect(tree.get('/etc/shadow')).toMatchObject({
      mode: 0o640,
      mtime: EPOCH,
      origin: 'alpine-baselayout-data',
    });
    expect(tree.get('/var/lib/gitea')).toMatchObject({
      kind: 'directory',
      mode: 0o2755,
      uid: 102,
      gid: 82,
    });
    expect(tree.get('/home/alice')).toMatchObject({
      kind: 'directory',
      mode: 0o2755,
      uid: 1000,
      gid: 1000,
    });
    expect(tree.get('/home/alice/.profile')).toMatchObject({ kind: 'file', uid: 1000, gid: 1000 });
    expect(tree.get('/var/lib/chrony')).toBeUndefined();
    expect(report.effects[0]?.notes).toContain(
      "openssh pre-install: failed as busybox would: user 'sshd' in use",
    );
    expect(report.effects[0]?.notes).toContain(
      'desktop pre-install: user alice (uid 1000, gid 1000) added; home /home/alice created with 1 entries from the skeleton',
    );
    expect(report.scriptsNotRun).toEqual([]);
  });
});

const BUSYBOX = alpineChrootReference("Alpine's busybox");

/** Shadow lines with the day of the last password change blanked: busybox writes today. */
const withoutDay = (lines: readonly string[]) =>
  lines.map((line) => line.replace(/^([^:]*:[^:]*:)\d+:/, '$1DAY:'));

describeWithReference(BUSYBOX, 'the apk-accounts effect against busybox itself (root only)', () => {
  it("leaves the same passwd, group, shadow and home folders as the scripts run by Alpine's busybox", async () => {
    const root = join(temp.dir, 'chroot');
    mkdirSync(root);
    await runner.run(['tar', '-xzf', MINIROOTFS(), '-C', root]);
    mkdirSync(join(root, 'etc/skel'));
    writeFileSync(join(root, 'etc/skel/.profile'), 'export PS1="$ "\n');
    for (const [name, body] of SCRIPTS) {
      writeFileSync(join(root, 'tmp', `${name}.sh`), body);
      await runner.run(['chroot', root, '/bin/sh', `/tmp/${name}.sh`]);
    }
    const data = await accountDataPackage(temp.dir);
    const packages = [data, layout, ...scriptPackages()];
    for (const pkg of packages) await tree.addPackage(pkg);
    await runScriptEffects(tree, packages, ACORN);

    const reference = (file: string) =>
      readFileSync(join(root, file), 'utf8').trimEnd().split('\n');
    expect(await linesOf('/etc/passwd')).toEqual(reference('etc/passwd'));
    expect(await linesOf('/etc/group')).toEqual(reference('etc/group'));
    expect(withoutDay(await linesOf('/etc/shadow'))).toEqual(withoutDay(reference('etc/shadow')));
    for (const home of ['/var/lib/gitea', '/home/alice', '/home/alice/.profile']) {
      const info = statSync(join(root, home));
      expect(tree.get(home), home).toMatchObject({
        mode: info.mode & 0o7777,
        uid: info.uid,
        gid: info.gid,
      });
    }
    expect(existsSync(join(root, 'var/lib/chrony'))).toBe(false);
  });
});
