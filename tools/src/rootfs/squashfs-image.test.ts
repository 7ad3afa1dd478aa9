import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalError } from '../core/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { hostTool, reference } from '../test-support/reference.ts';
import { itWithReference } from '../test-support/reference-suite.ts';
import type { ImageTree } from './image-tree.ts';
import type { ImageNode } from './nodes.ts';
import {
  accountDataPackage,
  makeTempDir,
  newTree,
  runner,
  syntheticPackage,
  verifiedApk,
} from './rootfs.support.ts';
import { writeSquashfs } from './squashfs-image.ts';

const temp = makeTempDir('squashfs');
const image = join(temp.dir, 'rootfs.sqfs');
const isRoot = process.getuid?.() === 0;
const RDSQUASHFS = reference('rdsquashfs', [hostTool('rdsquashfs')]);
const big = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 251));
let tree: ImageTree;

async function buildTree(dir: string): Promise<ImageTree> {
  const built = newTree(dir);
  const { pkg } = await verifiedApk(
    fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
    fixture('keys', 'alpine'),
  );
  await built.addPackage(pkg);
  await built.addPackage(await accountDataPackage(dir));
  await built.addPackage(
    syntheticPackage('extras', [
      { path: '/usr/bin/ping', content: 'ping', mode: 0o4755, capabilities: 'cap_net_raw=ep' },
      { path: '/usr/bin/gzip', content: big, mode: 0o755 },
      { path: '/usr/bin/gunzip', type: 'hardlink', linkTarget: '/usr/bin/gzip' },
      { path: '/usr/share/empty', content: '' },
      { path: '/dev/console', type: 'char-device', device: { major: 5, minor: 1 }, mode: 0o600 },
      {
        path: '/dev/sda',
        type: 'block-device',
        device: { major: 8, minor: 0 },
        mode: 0o660,
        user: 'root',
        group: 'disk',
      },
      { path: '/run/initctl', type: 'fifo', mode: 0o600 },
      {
        path: '/var/lib/misc/shared',
        content: 'x',
        user: 'nobody',
        group: 'nogroup',
        uid: 1,
        gid: 1,
      },
    ]),
  );
  await built.resolveOwners();
  return built;
}

const TYPE_LETTERS: Record<ImageNode['kind'], string> = {
  directory: 'd',
  file: '-',
  hardlink: '-',
  symlink: 'l',
  char: 'c',
  block: 'b',
  fifo: 'p',
  socket: 's',
};

function modeString(type: string, mode: number): string {
  const triple = (shift: number, special: number, letter: string) => {
    const bits = (mode >> shift) & 7;
    const x = (bits & 1) !== 0;
    const s = (mode & special) !== 0;
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${s ? (x ? letter : letter.toUpperCase()) : x ? 'x' : '-'}`;
  };
  return `${type}${triple(6, 0o4000, 's')}${triple(3, 0o2000, 's')}${triple(0, 0o1000, 't')}`;
}

function listing(output: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match =
      /^(\S{10}) (\d+\/\d+)\s+(\d+|\d+,\s*\d+) \S+ \S+ squashfs-root(.*?)(?: -> (.*))?$/.exec(line);
    if (match === null) continue;
    const [, perms = '', owner, size = '', path, target] = match;
    // A directory's size is that of its squashfs listing, which the tree does not decide.
    const shown = perms.startsWith('d') ? '-' : size.replace(/\s+/g, '');
    lines.set(path === '' ? '/' : (path as string), [perms, owner, shown, target ?? ''].join(' '));
  }
  return lines;
}

/** What `-lln` shows in its size column: bytes, link length, `major,minor`, `-` for folders. */
function sizeColumn(meta: Exclude<ImageNode, { kind: 'hardlink' }>): string {
  switch (meta.kind) {
    case 'directory':
      return '-';
    case 'file':
      return String(meta.content.size);
    case 'symlink':
      return String(Buffer.byteLength(meta.target));
    case 'char':
    case 'block':
      return `${meta.major},${meta.minor}`;
    default:
      return '0';
  }
}

function expectedLine(node: ImageNode, linked: ImageNode | undefined): string {
  const meta = node.kind === 'hardlink' ? linked : node;
  if (meta === undefined || meta.kind === 'hardlink') throw new Error('dangling hard link');
  const target = node.kind === 'symlink' ? node.target : '';
  const mode = modeString(TYPE_LETTERS[node.kind], meta.mode);
  return [mode, `${meta.uid}/${meta.gid}`, sizeColumn(meta), target].join(' ');
}

beforeAll(async () => {
  tree = await buildTree(join(temp.dir, 'first'));
  await writeSquashfs(tree, tree.store, image, {
    compressor: { kind: 'xz', bcj: 'x86' },
    workers: 2,
  });
}, 120_000);
afterAll(() => temp.cleanup());

describe('writeSquashfs', () => {
  it('lists every node with its owner, mode, size and link target (unsquashfs -lln)', async () => {
    const { stdout } = await runner.run(['unsquashfs', '-lln', image]);
    const listed = listing(stdout);
    const expected = new Map(
      tree.paths().map((path) => {
        const node = tree.get(path) as ImageNode;
        return [
          path,
          expectedLine(node, node.kind === 'hardlink' ? tree.get(node.target) : undefined),
        ];
      }),
    );
    expect(listed).toEqual(expected);
    expect(listed.get('/root')).toBe('drwx------ 0/0 - ');
    expect(listed.get('/tmp')).toBe('drwxrwxrwt 0/0 - ');
    expect(listed.get('/etc/shadow')).toBe('-rw-r----- 0/42 260 ');
    expect(listed.get('/var/run')).toBe('lrwxrwxrwx 0/0 4 /run');
    expect(listed.get('/usr/bin/ping')).toBe('-rwsr-xr-x 0/0 4 ');
    expect(listed.get('/dev/sda')).toBe('brw-rw---- 0/6 8,0 ');
    expect(listed.get('/var/lib/misc/shared')).toBe('-rw-r--r-- 65534/65533 1 ');
  });

  it('holds the contents of the store byte for byte (unsquashfs -d)', async () => {
    const out = join(temp.dir, 'extracted');
    const subset = isRoot ? [] : ['/etc', '/usr', '/var', '/sbin', '/lib'];
    await runner.run([
      'unsquashfs',
      '-q',
      '-n',
      ...(isRoot ? [] : ['-no-xattrs']),
      '-d',
      out,
      image,
      ...subset,
    ]);
    let files = 0;
    for (const path of tree.paths()) {
      const node = tree.get(path) as ImageNode;
      if (!isRoot && !subset.some((prefix) => path.startsWith(prefix))) continue;
      const host = join(out, path);
      if (node.kind === 'file') {
        expect(createHash('sha256').update(readFileSync(host)).digest('hex'), path).toBe(
          node.content.sha256,
        );
        files += 1;
      }
      if (node.kind === 'symlink') expect(readlinkSync(host), path).toBe(node.target);
      if (node.kind === 'hardlink')
        expect(lstatSync(host).ino, path).toBe(lstatSync(join(out, node.target)).ino);
    }
    expect(files).toBeGreaterThan(10);
  });

  itWithReference(
    RDSQUASHFS,
    'stores file capabilities as security.capability (rdsquashfs)',
    async () => {
      const { stdout } = await runner.run(['rdsquashfs', '--xattr', '/usr/bin/ping', image]);
      expect(stdout).toContain('security.capability=0x0100000200200000000000000000000000000000');
    },
  );

  it('writes the same bytes every time, whatever the worker count', async () => {
    const again = join(temp.dir, 'again.sqfs');
    const rebuilt = join(temp.dir, 'rebuilt.sqfs');
    await writeSquashfs(tree, tree.store, again, {
      compressor: { kind: 'xz', bcj: 'x86' },
      workers: 1,
    });
    const fresh = await buildTree(join(temp.dir, 'second'));
    await writeSquashfs(fresh, fresh.store, rebuilt, {
      compressor: { kind: 'xz', bcj: 'x86' },
      workers: 2,
    });
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(digest(again)).toBe(digest(image));
    expect(digest(rebuilt)).toBe(digest(image));
    expect(existsSync(`${again}.tmp-${process.pid}`)).toBe(false);
  }, 120_000);

  it('refuses a tree whose owner names are not resolved yet', async () => {
    const raw = newTree(join(temp.dir, 'raw'));
    await raw.addPackage(syntheticPackage('x', [{ path: '/x', content: 'x', rpm: true }]));
    const output = join(temp.dir, 'raw.sqfs');
    await expect(
      writeSquashfs(raw, raw.store, output, { compressor: { kind: 'zstd' } }),
    ).rejects.toBeInstanceOf(InternalError);
    expect(existsSync(output)).toBe(false);
  });
});
