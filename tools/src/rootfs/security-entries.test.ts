import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summariseReport } from '../pipeline/report.ts';
import type { BuildReport } from '../pipeline/report.ts';
import type { ImageTree } from './image-tree.ts';
import { makeTempDir, newTree, syntheticPackage } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';
import { securityEntries } from './security-entries.ts';

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('security');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const CAPABILITY = new Uint8Array([0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

async function install(): Promise<void> {
  await tree.addPackage(
    syntheticPackage('baselayout', [
      { path: '/dev' },
      { path: '/dev/null', type: 'char-device', mode: 0o666, device: { major: 1, minor: 3 } },
      {
        path: '/dev/sda',
        type: 'block-device',
        mode: 0o660,
        gid: 6,
        device: { major: 8, minor: 0 },
      },
      { path: '/tmp', mode: 0o1777 },
      { path: '/var' },
      { path: '/var/drop', mode: 0o777 },
      { path: '/var/shared', mode: 0o2775 },
    ]),
  );
  await tree.addPackage(
    syntheticPackage('shadow', [
      { path: '/usr' },
      { path: '/usr/bin' },
      { path: '/usr/bin/passwd', content: 'elf', mode: 0o4755 },
      { path: '/usr/bin/chage', type: 'hardlink', linkTarget: '/usr/bin/passwd' },
      { path: '/usr/bin/wall', content: 'elf2', mode: 0o2755, gid: 5 },
      { path: '/usr/bin/ls', content: 'elf3', mode: 0o755 },
      { path: '/usr/bin/notes', content: 'anyone', mode: 0o666 },
      {
        path: '/usr/bin/ping',
        content: 'elf4',
        mode: 0o755,
        xattrs: { 'security.capability': CAPABILITY },
      },
    ]),
  );
}

describe('security-relevant entries', () => {
  it('lists setuid/setgid files, world-writable entries, devices and capabilities by package', async () => {
    await install();
    expect(securityEntries(tree)).toEqual([
      {
        package: 'baselayout',
        entries: [
          {
            path: '/dev/null',
            kind: 'char',
            mode: '0666',
            uid: 0,
            gid: 0,
            flags: ['world-writable', 'device'],
            device: 'c 1:3',
          },
          {
            path: '/dev/sda',
            kind: 'block',
            mode: '0660',
            uid: 0,
            gid: 6,
            flags: ['device'],
            device: 'b 8:0',
          },
          {
            path: '/var/drop',
            kind: 'directory',
            mode: '0777',
            uid: 0,
            gid: 0,
            flags: ['world-writable'],
          },
        ],
      },
      {
        package: 'shadow',
        entries: [
          {
            path: '/usr/bin/chage',
            kind: 'file',
            mode: '4755',
            uid: 0,
            gid: 0,
            flags: ['setuid'],
            linkTo: '/usr/bin/passwd',
          },
          {
            path: '/usr/bin/notes',
            kind: 'file',
            mode: '0666',
            uid: 0,
            gid: 0,
            flags: ['world-writable'],
          },
          {
            path: '/usr/bin/passwd',
            kind: 'file',
            mode: '4755',
            uid: 0,
            gid: 0,
            flags: ['setuid'],
          },
          {
            path: '/usr/bin/ping',
            kind: 'file',
            mode: '0755',
            uid: 0,
            gid: 0,
            flags: ['capabilities'],
          },
          { path: '/usr/bin/wall', kind: 'file', mode: '2755', uid: 0, gid: 5, flags: ['setgid'] },
        ],
      },
    ]);
  });

  it('puts them in the readable report, every one of them', async () => {
    await install();
    const report: BuildReport = {
      variant: 'acorn',
      id: 'acornos',
      version: '1',
      epoch: 0,
      repositories: [],
      packages: [],
      stages: [],
      scriptsNotRun: [],
      effects: [],
      security: securityEntries(tree),
      notes: [],
      artifacts: [],
    };
    const text = summariseReport(report);
    expect(text).toContain(
      [
        'Security-relevant entries (8): setuid/setgid, world-writable (folders without the sticky bit), devices, capabilities',
        '  baselayout:',
        '    /dev/null  0666 0:0 c 1:3  world-writable, device',
        '    /dev/sda  0660 0:6 b 8:0  device',
        '    /var/drop  0777 0:0  world-writable',
        '  shadow:',
        '    /usr/bin/chage (hard link to /usr/bin/passwd)  4755 0:0  setuid',
      ].join('\n'),
    );
    expect(JSON.parse(JSON.stringify(report)).security[1].entries[2]).toMatchObject({
      path: '/usr/bin/passwd',
      flags: ['setuid'],
    });
  });
});
