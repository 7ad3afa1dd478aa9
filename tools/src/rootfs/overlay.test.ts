import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVariant } from '@levitate/distro-spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageBuildError } from './errors.ts';
import type { ImageTree } from './image-tree.ts';
import { applyOverlay } from './overlay.ts';
import {
  EPOCH,
  accountDataPackage,
  makeTempDir,
  newTree,
  syntheticPackage,
  text,
} from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

let temp: TempDir;
let tree: ImageTree;
let overlay: string;

const baselayout = syntheticPackage('alpine-baselayout', [
  { path: '/etc' },
  { path: '/etc/motd', content: 'Welcome to Alpine!\n' },
  { path: '/root', mode: 0o700 },
  { path: '/usr' },
  { path: '/usr/bin' },
  { path: '/bin', linkTarget: 'usr/bin' },
]);

function write(relative: string, content: string, mode = 0o644): void {
  const file = join(overlay, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

beforeEach(async () => {
  temp = makeTempDir('overlay');
  tree = newTree(temp.dir);
  overlay = join(temp.dir, 'overlay');
  await tree.addPackage(baselayout);
  await tree.addPackage(await accountDataPackage(temp.dir));
  write('etc/motd', 'Welcome to AcornOS!\n', 0o600);
  write('etc/conf.d/hostname', 'hostname="acorn"\n', 0o664);
  write('usr/local/bin/hello', '#!/bin/sh\necho hello\n', 0o700);
  write('bin/tool', '#!/bin/sh\n', 0o755);
  write('root/.keep', '');
  symlinkSync('/usr/share/zoneinfo/UTC', join(overlay, 'etc/localtime'));
});
afterEach(() => temp.cleanup());

async function failure(promise: Promise<unknown>): Promise<ImageBuildError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImageBuildError);
  return error as ImageBuildError;
}

describe('applyOverlay', () => {
  it('copies files, folders and symlinks as root:root at the build epoch with tidy modes', async () => {
    const summary = await applyOverlay(tree, { dir: overlay, permissions: [] });
    expect(summary).toMatchObject({ files: 5, symlinks: 1, replaced: ['/etc/motd'] });
    const meta = { uid: 0, gid: 0, mtime: EPOCH, origin: 'overlay' };
    expect(tree.get('/etc/motd')).toMatchObject({ kind: 'file', mode: 0o644, ...meta });
    expect(text(await tree.readFile('/etc/motd'))).toBe('Welcome to AcornOS!\n');
    expect(tree.get('/etc/conf.d')).toMatchObject({ kind: 'directory', mode: 0o755, ...meta });
    expect(tree.get('/etc/conf.d/hostname')).toMatchObject({ mode: 0o644 });
    expect(tree.get('/usr/local/bin/hello')).toMatchObject({ kind: 'file', mode: 0o755, ...meta });
    expect(tree.get('/etc/localtime')).toMatchObject({
      kind: 'symlink',
      target: '/usr/share/zoneinfo/UTC',
      mode: 0o777,
    });
    expect(tree.get('/usr/bin/tool')).toMatchObject({ kind: 'file', mode: 0o755 });
    expect(tree.get('/bin')).toMatchObject({ kind: 'symlink' });
    // An existing folder keeps the package's metadata.
    expect(tree.get('/root')).toMatchObject({ mode: 0o700, origin: 'alpine-baselayout' });
    expect(tree.notes.find((note) => note.rule === 'overlay-replaced')?.message).toBe(
      'overlay replaces the regular file /etc/motd of alpine-baselayout',
    );
  });

  it('applies permission declarations by name from the image accounts, to any path', async () => {
    await applyOverlay(tree, {
      dir: overlay,
      permissions: [
        { path: '/etc/shadow', mode: 0o640, owner: 'root', group: 'shadow' },
        { path: '/usr/local/bin/hello', mode: 0o4750, owner: 'daemon', group: 'wheel' },
        { path: '/bin/tool', mode: 0o700, owner: 'root', group: 'root' },
      ],
    });
    expect(tree.get('/etc/shadow')).toMatchObject({
      mode: 0o640,
      uid: 0,
      gid: 42,
      origin: 'alpine-baselayout-data',
    });
    expect(tree.get('/etc/shadow')).not.toHaveProperty('owner');
    expect(tree.get('/usr/local/bin/hello')).toMatchObject({ mode: 0o4750, uid: 2, gid: 10 });
    expect(tree.get('/usr/bin/tool')).toMatchObject({ mode: 0o700 });
  });

  it('refuses declarations for missing paths or unknown names, and files over folders', async () => {
    const missing = await failure(
      applyOverlay(tree, {
        dir: overlay,
        permissions: [{ path: '/etc/securetty', mode: 0o600, owner: 'root', group: 'root' }],
      }),
    );
    expect(missing.message).toBe(
      'a permission is declared for /etc/securetty, which is not in the image',
    );
    const owner = await failure(
      applyOverlay(tree, {
        dir: overlay,
        permissions: [{ path: '/etc/motd', mode: 0o644, owner: 'acorn', group: 'root' }],
      }),
    );
    expect(owner.message).toContain(
      "names the user acorn, which the image's /etc/passwd does not define",
    );
    write('usr/bin', 'not a folder');
    const clash = await failure(applyOverlay(tree, { dir: overlay, permissions: [] }));
    expect(clash.message).toContain('/usr/bin is a directory in the image');
  });

  it('stacks the real acorn and iuppiter overlays, parent first, with their permissions', async () => {
    const iuppiter = await loadVariant('iuppiter');
    expect(iuppiter.overlays).toHaveLength(2);
    for (const layer of iuppiter.overlays) await applyOverlay(tree, layer);
    const [acornDir, iuppiterDir] = iuppiter.overlays.map((layer) => layer.dir) as [string, string];
    // The child's files win where both have one; the parent's stay where only it has one.
    expect(text(await tree.readFile('/etc/hostname'))).toBe(
      readFileSync(join(iuppiterDir, 'etc/hostname'), 'utf8'),
    );
    expect(text(await tree.readFile('/etc/inittab'))).toBe(
      readFileSync(join(acornDir, 'etc/inittab'), 'utf8'),
    );
    expect(text(await tree.readFile('/etc/securetty'))).toBe(
      readFileSync(join(acornDir, 'etc/securetty'), 'utf8'),
    );
    expect(tree.get('/etc/securetty')).toMatchObject({ mode: 0o600, uid: 0, gid: 0 });
    expect(tree.get('/root')).toMatchObject({ mode: 0o700 });
    expect(tree.get('/root/.keep')).toMatchObject({ kind: 'file', mode: 0o644 });
  });
});
