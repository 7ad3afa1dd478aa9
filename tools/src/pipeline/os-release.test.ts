import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EPOCH, makeTempDir, newTree, syntheticPackage, text } from '../rootfs/rootfs.support.ts';
import type { TempDir } from '../rootfs/rootfs.support.ts';
import { osReleaseText, writeOsRelease } from './os-release.ts';

const FIELDS = { NAME: 'LevitateOS', ID: 'levitateos', PRETTY_NAME: 'LevitateOS 0.1.0' };

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir('os-release');
});
afterEach(() => temp.cleanup());

const LAYOUTS = [
  {
    layout: "Rocky's (file in /usr/lib, link in /etc)",
    entries: [
      { path: '/etc' },
      { path: '/usr' },
      { path: '/usr/lib' },
      { path: '/usr/lib/os-release', content: 'NAME="Rocky Linux"\n' },
      { path: '/etc/os-release', linkTarget: '../usr/lib/os-release' },
    ],
  },
  {
    layout: "Alpine's (file in /etc, link in /usr/lib)",
    entries: [
      { path: '/etc' },
      { path: '/usr' },
      { path: '/usr/lib' },
      { path: '/etc/os-release', content: 'NAME="Alpine Linux"\n' },
      { path: '/usr/lib/os-release', linkTarget: '../../etc/os-release' },
    ],
  },
];

describe('the image os-release', () => {
  it.each(LAYOUTS)(
    'replaces $layout with the variant file and the /etc link',
    async ({ entries }) => {
      const tree = newTree(temp.dir);
      await tree.addPackage(syntheticPackage('release', entries));
      await writeOsRelease(tree, FIELDS, EPOCH);
      expect(tree.get('/usr/lib/os-release')).toMatchObject({ kind: 'file', mode: 0o644, uid: 0 });
      expect(text(await tree.readFile('/usr/lib/os-release'))).toBe(osReleaseText(FIELDS));
      expect(tree.get('/etc/os-release')).toMatchObject({
        kind: 'symlink',
        target: '../usr/lib/os-release',
      });
      expect(text(await tree.readFile('/etc/os-release'))).toBe(osReleaseText(FIELDS));
    },
  );

  it('quotes values that are more than one plain word', () => {
    expect(osReleaseText(FIELDS)).toBe(
      'NAME=LevitateOS\nID=levitateos\nPRETTY_NAME="LevitateOS 0.1.0"\n',
    );
  });
});
