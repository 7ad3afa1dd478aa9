import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageTree } from '../image-tree.ts';
import {
  EPOCH,
  extractMinirootfs,
  makeTempDir,
  minirootfsSymlinks,
  newTree,
  syntheticPackage,
} from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { runScriptEffects } from './registry.ts';
import type { EffectSpec } from './types.ts';

const ACORN: EffectSpec = { id: 'acornos', family: 'apk', init: 'openrc', services: [] };

/** The shape of Alpine's busybox.post-install. */
const POST_INSTALL = `#!/bin/busybox sh

# We need the symlinks early
/bin/busybox mkdir -p "/bin" "/sbin" "/usr/bin" "/usr/sbin"
/bin/busybox --install -s || exit 1

exit 0
`;

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('busybox');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

function appletLinks(): Map<string, string> {
  const links = new Map<string, string>();
  for (const path of tree.paths()) {
    const node = tree.get(path);
    if (node?.kind === 'symlink' && node.origin === 'busybox-applet-links')
      links.set(path, node.target);
  }
  return links;
}

async function busyboxPackage(list?: string) {
  const read = await extractMinirootfs(temp.dir, ['bin/busybox', 'etc/busybox-paths.d/busybox']);
  return syntheticPackage(
    'busybox',
    [
      { path: '/bin/busybox', content: await read('bin/busybox'), mode: 0o755 },
      {
        path: '/etc/busybox-paths.d/busybox',
        content: list ?? (await read('etc/busybox-paths.d/busybox')),
      },
    ],
    [
      { phase: 'post-install', interpreter: '/bin/busybox sh', body: POST_INSTALL },
      { phase: 'pre-deinstall', interpreter: '/bin/sh', body: '#!/bin/sh\nrm -f /bin/ash\n' },
    ],
  );
}

describe('the busybox applet links effect', () => {
  it("creates the links Alpine's minirootfs has, except for paths another package took", async () => {
    const layout = syntheticPackage(
      'alpine-baselayout',
      ['/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin'].map((path) => ({ path })),
    );
    const busybox = await busyboxPackage();
    const coreutils = syntheticPackage('coreutils', [
      { path: '/bin/ls', content: 'ELF', mode: 0o755 },
    ]);
    const packages = [layout, busybox, coreutils];
    for (const pkg of packages) await tree.addPackage(pkg);
    const report = await runScriptEffects(tree, packages, ACORN);

    const reference = new Map(
      [...(await minirootfsSymlinks())].filter(([, target]) => target === '/bin/busybox'),
    );
    expect(reference.size).toBe(304);
    reference.delete('/bin/ls');
    expect(appletLinks()).toEqual(reference);
    expect(tree.get('/bin/ls')).toMatchObject({ kind: 'file', origin: 'coreutils' });
    expect(tree.get('/usr/bin/wget')).toMatchObject({
      kind: 'symlink',
      mode: 0o777,
      uid: 0,
      gid: 0,
      mtime: EPOCH,
    });
    const outcome = report.effects.find((effect) => effect.id === 'busybox-applet-links');
    expect(outcome?.notes).toEqual(['303 applet links created, 1 applet paths already taken']);
    expect(report.scripts).toEqual([
      {
        package: 'busybox',
        phase: 'post-install',
        status: 'covered',
        coveredBy: ['busybox-applet-links'],
      },
      { package: 'busybox', phase: 'pre-deinstall', status: 'not-applicable', coveredBy: [] },
    ]);
    const implicit = tree.notes.filter((note) => note.rule === 'implicit-parent');
    expect(implicit.map((note) => [note.path, note.origin])).toEqual([
      ['/etc', 'busybox'],
      ['/etc/busybox-paths.d', 'busybox'],
    ]);
  });

  it('places links through a merged /usr and reports a busybox script it only partly covers', async () => {
    const usrmerge = syntheticPackage('usrmerge', [
      { path: '/usr/bin' },
      { path: '/usr/sbin' },
      { path: '/bin', linkTarget: 'usr/bin' },
      { path: '/sbin', linkTarget: 'usr/sbin' },
    ]);
    const busybox = await busyboxPackage('bin/ash\nsbin/ifup\nusr/bin/env\nbin/../../etc/x\n');
    const extended = {
      ...busybox,
      scripts: [{ phase: 'post-install', body: `${POST_INSTALL}\nrm -rf /var/cache/misc/*\n` }],
    };
    await tree.addPackage(usrmerge);
    await tree.addPackage(extended);
    const report = await runScriptEffects(tree, [usrmerge, extended], ACORN);
    // /bin/busybox itself went to /usr/bin/busybox; the links still name /bin/busybox.
    expect(appletLinks()).toEqual(
      new Map([
        ['/usr/bin/ash', '/bin/busybox'],
        ['/usr/bin/env', '/bin/busybox'],
        ['/usr/sbin/ifup', '/bin/busybox'],
      ]),
    );
    expect(report.effects[1]?.notes).toEqual([
      '3 applet links created, 0 applet paths already taken',
      'skipped "bin/../../etc/x": not an applet path',
    ]);
    expect(report.scripts[0]).toEqual({
      package: 'busybox',
      phase: 'post-install',
      status: 'partly-covered',
      coveredBy: ['busybox-applet-links'],
    });
    expect(report.scriptsNotRun).toEqual([{ package: 'busybox', phase: 'post-install' }]);
  });
});
