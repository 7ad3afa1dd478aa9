import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EPOCH, makeTempDir, newTree, syntheticPackage } from '../rootfs/rootfs.support.ts';
import type { TempDir } from '../rootfs/rootfs.support.ts';
import type { ImageTree } from '../rootfs/index.ts';
import { readsStillHold, recordingRootView } from './tree-reads.ts';

const meta = { mode: 0o644, uid: 0, gid: 0, mtime: EPOCH, xattrs: {} };

describe('recorded tree reads', () => {
  let temp: TempDir;
  let tree: ImageTree;
  beforeEach(async () => {
    temp = makeTempDir('tree-reads');
    tree = newTree(temp.dir);
    await tree.addPackage(
      syntheticPackage('base', [
        { path: '/bin' },
        { path: '/bin/busybox', content: 'busybox' },
        { path: '/bin/sh', linkTarget: 'busybox' },
        { path: '/etc' },
        { path: '/etc/motd', content: 'hello' },
      ]),
    );
  });
  afterEach(() => temp.cleanup());

  async function recorded() {
    const recording = recordingRootView(tree);
    expect(new TextDecoder().decode(await recording.view.readFile('/bin/sh'))).toBe('busybox');
    expect(await recording.view.readlink('/bin/sh')).toBe('busybox');
    expect(await recording.view.stat('/bin/busybox')).toEqual({ type: 'file', mode: 0o644 });
    expect(await recording.view.list('/bin')).toEqual(['busybox', 'sh']);
    return recording.reads();
  }

  it('hold while nothing that was read changes', async () => {
    const reads = await recorded();
    expect(reads).toHaveLength(4);
    await tree.writeFile('/etc/motd', Buffer.from('changed'), meta, 'overlay');
    expect(await readsStillHold(tree, reads)).toBe(true);
  });

  it.each<[string, (tree: ImageTree) => Promise<void> | void]>([
    [
      'a file read through a link',
      (t) => t.writeFile('/bin/busybox', Buffer.from('x'), meta, 'o').then(() => undefined),
    ],
    [
      'a mode',
      (t) =>
        t
          .writeFile('/bin/busybox', Buffer.from('busybox'), { ...meta, mode: 0o755 }, 'o')
          .then(() => undefined),
    ],
    [
      'a link target',
      (t) => t.set('/bin/sh', { kind: 'symlink', target: '/bin/busybox', origin: 'o', ...meta }),
    ],
    [
      'a folder listing',
      (t) => t.writeFile('/bin/ls', Buffer.from('ls'), meta, 'o').then(() => undefined),
    ],
  ])('stop holding when %s changes', async (_what, change) => {
    const reads = await recorded();
    await change(tree);
    expect(await readsStillHold(tree, reads)).toBe(false);
  });
});
