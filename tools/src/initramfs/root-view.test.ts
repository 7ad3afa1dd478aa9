import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostDirectoryRoot } from './host-root.ts';
import { normalizeRootPath, realPathInRoot } from './root-view.ts';
import type { RootView } from './root-view.ts';

let dir: string;
let root: RootView;
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'root-view-'));
  await mkdir(join(dir, 'etc'));
  await mkdir(join(dir, 'usr', 'bin'), { recursive: true });
  await mkdir(join(dir, 'usr', 'lib'), { recursive: true });
  await writeFile(join(dir, 'etc', 'passwd'), 'inside the root\n');
  await writeFile(join(dir, 'usr', 'bin', 'tool'), 'tool');
  await chmod(join(dir, 'usr', 'bin', 'tool'), 0o755);
  await writeFile(join(dir, 'usr', 'lib', 'libx.so.1.2'), 'libx');
  await symlink('usr/bin', join(dir, 'bin'));
  await symlink('/usr/lib', join(dir, 'lib'));
  await symlink('libx.so.1.2', join(dir, 'usr', 'lib', 'libx.so.1'));
  await symlink('/etc/passwd', join(dir, 'absolute'));
  await symlink('../../../../../etc', join(dir, 'usr', 'escape'));
  await symlink('loop-b', join(dir, 'loop-a'));
  await symlink('loop-a', join(dir, 'loop-b'));
  await symlink('/nowhere', join(dir, 'dangling'));
  root = hostDirectoryRoot(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hostDirectoryRoot', () => {
  it('reads files through relative and absolute links inside the root', async () => {
    expect(text(await root.readFile('/bin/tool'))).toBe('tool');
    expect(text(await root.readFile('/lib/libx.so.1'))).toBe('libx');
    // .. after a link goes to the parent of its target (/usr), as the kernel does
    expect(text(await root.readFile('lib/../lib/libx.so.1.2'))).toBe('libx');
    expect(await root.readFile('lib/../usr/lib/libx.so.1.2')).toBeUndefined();
  });

  it('never leaves the root: absolute targets and .. stop at its top', async () => {
    expect(text(await root.readFile('/absolute'))).toBe('inside the root\n');
    expect(text(await root.readFile('/usr/escape/passwd'))).toBe('inside the root\n');
    expect(text(await root.readFile('/../../etc/passwd'))).toBe('inside the root\n');
  });

  it('stats the entry itself, with its permission bits', async () => {
    expect(await root.stat('/bin')).toEqual({ type: 'symlink', mode: 0o777 });
    expect(await root.stat('/bin/tool')).toEqual({ type: 'file', mode: 0o755 });
    expect((await root.stat('/lib'))?.type).toBe('symlink');
    expect((await root.stat('/usr/lib'))?.type).toBe('directory');
    expect((await root.stat('/dangling'))?.type).toBe('symlink');
    expect(await root.stat('/missing')).toBeUndefined();
    expect(await root.stat('/missing/child')).toBeUndefined();
  });

  it('reads link targets as written', async () => {
    expect(await root.readlink('/lib')).toBe('/usr/lib');
    expect(await root.readlink('/lib/libx.so.1')).toBe('libx.so.1.2');
    expect(await root.readlink('/bin/tool')).toBeUndefined();
  });

  it('lists folders sorted, through links', async () => {
    expect(await root.list('/lib')).toEqual(['libx.so.1', 'libx.so.1.2']);
    expect(await root.list('/bin')).toEqual(['tool']);
    expect(await root.list('/bin/tool')).toEqual([]);
    expect(await root.list('/missing')).toEqual([]);
  });

  it('has no file where a link dangles, and refuses link loops', async () => {
    expect(await root.readFile('/dangling')).toBeUndefined();
    expect(await root.readFile('/usr/lib')).toBeUndefined();
    await expect(root.readFile('/loop-a')).rejects.toThrow(/too many symbolic links/);
  });
});

describe('realPathInRoot', () => {
  it('resolves every link', async () => {
    expect(await realPathInRoot(root, '/lib/libx.so.1')).toBe('/usr/lib/libx.so.1.2');
    expect(await realPathInRoot(root, '/bin')).toBe('/usr/bin');
    expect(await realPathInRoot(root, '/dangling')).toBeUndefined();
  });

  it('normalises paths lexically', () => {
    expect(normalizeRootPath('a/./b/../../../c/')).toBe('/c');
    expect(normalizeRootPath('/')).toBe('/');
  });
});
