import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFileCapabilities } from '../apk/index.ts';
import { PackageFormatError, UnsafeEntryError } from '../packages/errors.ts';
import type { ImageTree } from './image-tree.ts';
import { PACKAGE_TIME, makeTempDir, newTree, syntheticPackage, text } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('tree');
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

describe('ImageTree.addPackage', () => {
  it('creates parents a package omits as 0755 root:root with its time, and lets a later entry claim them', async () => {
    await tree.addPackage(
      syntheticPackage('musl', [{ path: '/lib/ld-musl-x86_64.so.1', content: 'ld', mode: 0o755 }]),
    );
    expect(tree.get('/lib')).toMatchObject({
      kind: 'directory',
      mode: 0o755,
      uid: 0,
      gid: 0,
      mtime: PACKAGE_TIME,
      implicit: true,
    });
    expect(rules('implicit-parent').map((note) => [note.path, note.origin])).toEqual([
      ['/lib', 'musl'],
    ]);

    await tree.addPackage(
      syntheticPackage('baselayout', [{ path: '/lib', mode: 0o700, mtime: 5 }]),
    );
    expect(tree.get('/lib')).toMatchObject({
      mode: 0o700,
      mtime: 5,
      origin: 'baselayout',
      implicit: false,
    });
  });

  it('merges a directory over an existing one, keeping the first metadata', async () => {
    await tree.addPackage(
      syntheticPackage('baselayout', [{ path: '/var' }, { path: '/var/empty', mode: 0o555 }]),
    );
    await tree.addPackage(
      syntheticPackage('openssh', [{ path: '/var' }, { path: '/var/empty', mode: 0o711 }]),
    );
    expect(tree.get('/var/empty')).toMatchObject({ mode: 0o555, origin: 'baselayout' });
    const merged = rules('merged-directory').find((note) => note.path === '/var/empty');
    expect(merged?.message).toContain('kept its metadata (0555 root:root), not 0711 root:root');
    expect(merged?.origin).toBe('openssh');
  });

  it('shares identical files and refuses different content, naming both packages and the path', async () => {
    await tree.addPackage(syntheticPackage('a', [{ path: '/etc/shells', content: '/bin/sh\n' }]));
    await tree.addPackage(
      syntheticPackage('b', [{ path: '/etc/shells', content: '/bin/sh\n', mode: 0o600 }]),
    );
    expect(tree.get('/etc/shells')).toMatchObject({ origin: 'a', mode: 0o644 });
    expect(rules('shared')[0]?.message).toContain('identical in a and b');

    const error = await refusal(
      tree.addPackage(syntheticPackage('c', [{ path: '/etc/shells', content: '/bin/bash\n' }])),
    );
    expect(error.message).toContain('/etc/shells');
    expect(error.message).toContain('c-1.0-r0');
    expect(error.message).toContain('that a installed');
    expect(error.hint).toContain('replaces');
  });

  it('lets a package that replaces another win, and says so', async () => {
    const asked: [string, string][] = [];
    const replaces = (later: string, earlier: string) => {
      asked.push([later, earlier]);
      return later === 'bash-binsh' && earlier === 'busybox-binsh';
    };
    await tree.addPackage(
      syntheticPackage('busybox-binsh', [{ path: '/bin/sh', linkTarget: '/bin/busybox' }]),
    );
    await tree.addPackage(
      syntheticPackage('bash-binsh', [{ path: '/bin/sh', linkTarget: 'bash' }]),
      { replaces },
    );
    expect(tree.get('/bin/sh')).toMatchObject({
      kind: 'symlink',
      target: 'bash',
      origin: 'bash-binsh',
    });
    expect(asked).toEqual([['bash-binsh', 'busybox-binsh']]);
    expect(rules('replaced')[0]?.message).toBe(
      'bash-binsh replaces busybox-binsh: its /bin/sh wins',
    );
  });

  it('refuses a file over a directory and a path a package lists twice', async () => {
    await tree.addPackage(syntheticPackage('a', [{ path: '/opt' }]));
    expect(
      (await refusal(tree.addPackage(syntheticPackage('b', [{ path: '/opt', content: 'x' }]))))
        .message,
    ).toContain('installs a regular file at /opt, where a installed a directory');
    const twice = syntheticPackage('c', [
      { path: '/x', content: '1' },
      { path: '/x', content: '2' },
    ]);
    expect((await refusal(tree.addPackage(twice))).message).toBe(
      'c-1.0-r0 (/synthetic/c-1.0-r0.apk): /x appears twice in c-1.0-r0',
    );
  });

  it('does not create RPM %ghost entries', async () => {
    const summary = await tree.addPackage(
      syntheticPackage('rsyslog', [
        { path: '/var/log/messages', type: 'file', flags: ['ghost'], rpm: true },
      ]),
    );
    expect(tree.get('/var/log/messages')).toBeUndefined();
    expect(summary.ghosts).toBe(1);
    expect(rules('ghost')[0]?.message).toContain('%ghost of rsyslog-1.0-r0: not created');
  });

  it('stores capabilities as vfs_cap_data, other xattrs as given, and drops what squashfs cannot hold', async () => {
    await tree.addPackage(
      syntheticPackage('iputils', [
        {
          path: '/usr/bin/ping',
          content: 'ELF',
          capabilities: 'cap_net_raw=ep',
          xattrs: { 'user.note': Buffer.from('x'), 'system.posix_acl_access': Buffer.from('y') },
        },
      ]),
    );
    const node = tree.get('/usr/bin/ping');
    if (node?.kind !== 'file') throw new Error('not a file');
    expect(decodeFileCapabilities(node.xattrs['security.capability'] as Uint8Array)).toBe(
      'cap_net_raw=ep',
    );
    expect(Object.keys(node.xattrs).sort()).toEqual(['security.capability', 'user.note']);
    expect(rules('dropped-xattr')[0]?.message).toContain('system.posix_acl_access');
    const bad = syntheticPackage('bad', [
      { path: '/b', content: '', capabilities: 'cap_nonsense=ep' },
    ]);
    await expect(tree.addPackage(bad)).rejects.toBeInstanceOf(PackageFormatError);
  });

  it('records hard links, devices and fifos', async () => {
    await tree.addPackage(
      syntheticPackage('gzip', [
        { path: '/usr/bin/gzip', content: 'gzip', mode: 0o755 },
        { path: '/usr/bin/gunzip', type: 'hardlink', linkTarget: '/usr/bin/gzip' },
        { path: '/usr/bin/zcat', type: 'hardlink', linkTarget: '/usr/bin/gunzip' },
        { path: '/dev/console', type: 'char-device', device: { major: 5, minor: 1 }, mode: 0o600 },
        { path: '/run/initctl', type: 'fifo', mode: 0o600 },
      ]),
    );
    expect(tree.get('/usr/bin/zcat')).toEqual({
      kind: 'hardlink',
      target: '/usr/bin/gzip',
      origin: 'gzip',
    });
    expect(tree.get('/dev/console')).toMatchObject({
      kind: 'char',
      major: 5,
      minor: 1,
      mode: 0o600,
    });
    expect(tree.get('/run/initctl')).toMatchObject({ kind: 'fifo' });
    expect(text(await tree.readFile('/usr/bin/zcat'))).toBe('gzip');
  });
});

describe('ImageTree.resolveOwners', () => {
  it('looks names up in the image passwd and group: RPM unknowns become root, APK unknowns keep their numbers', async () => {
    await tree.addPackage(
      syntheticPackage('setup', [
        { path: '/etc' },
        {
          path: '/etc/passwd',
          content:
            'root:x:0:0:root:/root:/bin/bash\nnamed:x:25:25:Named:/var/named:/sbin/nologin\n',
        },
        { path: '/etc/group', content: 'root:x:0:\nnamed:x:25:\nwheel:x:10:\n' },
      ]),
    );
    await tree.addPackage(
      syntheticPackage('bind', [
        { path: '/var/named', mode: 0o770, user: 'root', group: 'named', rpm: true },
        { path: '/var/named/data', mode: 0o770, user: 'named', group: 'named', rpm: true },
        { path: '/var/named/dyn', user: 'dnsuser', group: 'wheel', rpm: true },
      ]),
    );
    await tree.addPackage(
      syntheticPackage('ca-certs', [
        {
          path: '/usr/share/cert.crt',
          content: 'c',
          user: '501',
          group: 'dialout',
          uid: 501,
          gid: 20,
        },
      ]),
    );
    const resolution = await tree.resolveOwners();
    expect(tree.get('/var/named')).toMatchObject({ uid: 0, gid: 25 });
    expect(tree.get('/var/named/data')).toMatchObject({ uid: 25, gid: 25 });
    expect(tree.get('/var/named/dyn')).toMatchObject({ uid: 0, gid: 10 });
    expect(tree.get('/usr/share/cert.crt')).toMatchObject({ uid: 501, gid: 20 });
    expect(tree.get('/var/named/data')).not.toHaveProperty('owner');
    expect(resolution.unknownUsers).toEqual(['501', 'dnsuser']);
    expect(resolution.unknownGroups).toEqual(['dialout']);
    expect(rules('unknown-user').map((note) => note.message)).toEqual([
      "user 501 of /usr/share/cert.crt is not in the image's /etc/passwd: uid 501 as packaged",
      "user dnsuser of /var/named/dyn is not in the image's /etc/passwd: root",
    ]);
  });
});
