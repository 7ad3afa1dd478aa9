import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeEntryError } from '../packages/errors.ts';
import type { ImageTree } from './image-tree.ts';
import { makeTempDir, newTree, syntheticPackage } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('placement');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const rules = (rule: string) => tree.notes.filter((note) => note.rule === rule);

async function refusal(promise: Promise<unknown>): Promise<UnsafeEntryError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UnsafeEntryError);
  return error as UnsafeEntryError;
}

describe('symlink-aware placement', () => {
  const filesystem = syntheticPackage('filesystem', [
    { path: '/usr' },
    { path: '/usr/bin' },
    { path: '/bin', linkTarget: 'usr/bin' },
    { path: '/lib', linkTarget: 'usr/lib' },
    { path: '/var' },
    { path: '/var/run', linkTarget: '/run' },
  ]);

  it('places entries under /bin at /usr/bin when /bin is a symlink to usr/bin', async () => {
    await tree.addPackage(filesystem);
    await tree.addPackage(
      syntheticPackage('coreutils', [
        { path: '/bin', mode: 0o700 },
        { path: '/bin/ls', content: 'ls', mode: 0o755 },
        { path: '/bin/dir', type: 'hardlink', linkTarget: '/bin/ls' },
      ]),
    );
    expect(tree.get('/bin')).toMatchObject({ kind: 'symlink', target: 'usr/bin' });
    expect(tree.get('/usr/bin')).toMatchObject({
      kind: 'directory',
      mode: 0o755,
      origin: 'filesystem',
    });
    expect(tree.get('/usr/bin/ls')).toMatchObject({ kind: 'file', origin: 'coreutils' });
    expect(tree.get('/bin/ls')).toBeUndefined();
    expect(tree.get('/usr/bin/dir')).toMatchObject({ kind: 'hardlink', target: '/usr/bin/ls' });
    expect(rules('directory-through-symlink')[0]?.message).toBe(
      'directory /bin merged into /usr/bin (/bin → usr/bin)',
    );
    expect(rules('through-symlink').map((note) => note.message)).toContain(
      '/bin/ls placed at /usr/bin/ls (via /bin → usr/bin)',
    );
  });

  it('follows absolute links from the image root and creates what a dangling link points to', async () => {
    await tree.addPackage(filesystem);
    await tree.addPackage(
      syntheticPackage('openrc', [
        { path: '/var/run/openrc', mode: 0o750 },
        { path: '/lib/rc/sh/init.sh', content: '#!/bin/sh\n' },
      ]),
    );
    expect(tree.get('/run/openrc')).toMatchObject({ kind: 'directory', mode: 0o750 });
    expect(tree.get('/usr/lib/rc/sh/init.sh')).toMatchObject({ kind: 'file' });
    expect(rules('implicit-parent').map((note) => note.path)).toEqual([
      '/run',
      '/usr/lib',
      '/usr/lib/rc',
      '/usr/lib/rc/sh',
    ]);
  });

  it('refuses paths that resolve above the root, loop, or go through a file', async () => {
    await tree.addPackage(
      syntheticPackage('evil', [
        { path: '/up', linkTarget: '../../..' },
        { path: '/a', linkTarget: 'b' },
        { path: '/b', linkTarget: 'a' },
        { path: '/etc/hosts', content: '127.0.0.1 localhost\n' },
      ]),
    );
    const escape = await refusal(
      tree.addPackage(syntheticPackage('p1', [{ path: '/up/etc/passwd', content: 'x' }])),
    );
    expect(escape.message).toContain('/up/etc/passwd resolves to a path above the image root');
    const loop = await refusal(
      tree.addPackage(syntheticPackage('p2', [{ path: '/a/x', content: 'x' }])),
    );
    expect(loop.message).toContain('more than 40 symlinks');
    const file = await refusal(
      tree.addPackage(syntheticPackage('p3', [{ path: '/etc/hosts/x', content: 'x' }])),
    );
    expect(file.message).toContain('/etc/hosts/x lies under /etc/hosts, which is a regular file');
    const link = await refusal(
      tree.addPackage(syntheticPackage('p4', [{ path: '/up', content: 'x' }])),
    );
    expect(link.message).toContain('that evil installed there');
  });
});
