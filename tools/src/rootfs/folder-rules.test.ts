import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alpineChrootReference, createAlpineChroot } from '../test-support/alpine-chroot.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import { buildApk } from '../apk/apk-builder.support.ts';
import type { TarSpec } from '../apk/apk-builder.support.ts';
import { signer, trustTestKey } from '../apk/built-conformance.support.ts';
import { readApkPackage } from '../apk/index.ts';
import type { ApkKeys } from '../apk/index.ts';
import type { VerifiedPackage } from '../backend/types.ts';
import { UnsafeEntryError } from '../packages/errors.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import type { ImageTree } from './image-tree.ts';
import { apkAsVerified, makeTempDir, newTree, syntheticPackage } from './rootfs.support.ts';
import type { SyntheticEntry, TempDir } from './rootfs.support.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('folders');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

async function refusal(promise: Promise<unknown>): Promise<UnsafeEntryError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UnsafeEntryError);
  return error as UnsafeEntryError;
}

/** Package `a`: /srv/real and /opt/link → ../srv/real. */
const LINKS: SyntheticEntry[] = [
  { path: '/srv' },
  { path: '/srv/real' },
  { path: '/opt' },
  { path: '/opt/link', linkTarget: '../srv/real' },
];

describe('the folder rule of each format', () => {
  it('follows apk for APK packages and rpm for RPM packages', () => {
    expect(FOLDER_RULES).toEqual({ apk: 'listed', rpm: 'created' });
  });

  it('refuses a file below another package’s symlink when the package does not list its folder (apk)', async () => {
    await tree.addPackage(syntheticPackage('a', LINKS), { folders: 'listed' });
    const error = await refusal(
      tree.addPackage(syntheticPackage('b', [{ path: '/opt/link/file', content: 'hi\n' }]), {
        folders: 'listed',
      }),
    );
    expect(error.message).toBe(
      'b-1.0-r0 (/synthetic/b-1.0-r0.apk): /opt/link/file: /opt/link is a symlink to ../srv/real that a installed, and b-1.0-r0 does not list the folder /opt/link before it',
    );
    expect(error.hint).toContain('no dirent in archive');
    expect(tree.get('/srv/real/file')).toBeUndefined();
  });

  it('refuses an implicit folder beyond another package’s symlink (apk)', async () => {
    await tree.addPackage(syntheticPackage('a', LINKS), { folders: 'listed' });
    const error = await refusal(
      tree.addPackage(
        syntheticPackage('b', [
          { path: '/opt' },
          { path: '/opt/link' },
          { path: '/opt/link/sub/file', content: 'hi\n' },
        ]),
        { folders: 'listed' },
      ),
    );
    expect(error.message).toContain(
      '/opt/link/sub/file: /opt/link/sub lies beyond /opt/link, a symlink to ../srv/real that a installed',
    );
    expect(tree.get('/srv/real/sub')).toBeUndefined();
  });

  it('accepts the file when the package lists the folder, reached through the symlink (apk)', async () => {
    await tree.addPackage(syntheticPackage('a', LINKS), { folders: 'listed' });
    await tree.addPackage(
      syntheticPackage('b', [
        { path: '/opt/link' },
        { path: '/opt/link/sub' },
        { path: '/opt/link/sub/file', content: 'hi\n' },
        { path: '/top', content: 'a file in the root needs no folder\n' },
      ]),
      { folders: 'listed' },
    );
    expect(tree.get('/srv/real/sub/file')).toMatchObject({ kind: 'file', origin: 'b' });
    expect(tree.get('/srv/real/sub')).toMatchObject({ kind: 'directory', origin: 'b' });
    expect(tree.get('/opt/link')).toMatchObject({ kind: 'symlink', origin: 'a' });
  });

  it('refuses files, links and folders whose folder is missing or listed too late (apk)', async () => {
    await tree.addPackage(syntheticPackage('a', [{ path: '/srv' }]), { folders: 'listed' });
    const cases: [string, SyntheticEntry[], string][] = [
      [
        'in another package’s folder',
        [{ path: '/srv/file', content: 'x' }],
        '/srv/file: its folder /srv was installed by a, and c-1.0-r0 does not list it before it',
      ],
      [
        'listed after the file',
        [{ path: '/new/file', content: 'x' }, { path: '/new' }],
        '/new/file: c-1.0-r0 does not list its folder /new before it, and no package installed that folder',
      ],
      ['a symlink', [{ path: '/other/s', linkTarget: 'x' }], '/other/s: c-1.0-r0 does not list'],
      [
        'a hard link',
        [
          { path: '/srv' },
          { path: '/srv/f', content: 'x' },
          { path: '/x/h', type: 'hardlink', linkTarget: '/srv/f' },
        ],
        '/x/h: c-1.0-r0 does not list',
      ],
      [
        'a folder whose parent exists nowhere',
        [{ path: '/x/y' }],
        'folder /x/y of c-1.0-r0: c-1.0-r0 does not list its folder /x before it',
      ],
    ];
    for (const [, entries, message] of cases) {
      const error = await refusal(
        tree.addPackage(syntheticPackage('c', entries), { folders: 'listed' }),
      );
      expect(error.message).toContain(message);
    }
    await tree.addPackage(syntheticPackage('d', [{ path: '/srv/sub' }]), { folders: 'listed' });
    expect(tree.get('/srv/sub')).toMatchObject({ kind: 'directory', origin: 'd' });
  });

  it('creates the folders and follows the symlink, with notes, as rpm does', async () => {
    await tree.addPackage(syntheticPackage('a', LINKS));
    await tree.addPackage(
      syntheticPackage('b', [
        { path: '/opt/link/file', content: 'hi\n', rpm: true },
        { path: '/opt/link/sub/deep', content: 'hi\n', rpm: true },
        { path: '/newdir/file', content: 'hi\n', rpm: true },
      ]),
      { folders: 'created' },
    );
    expect(tree.get('/srv/real/file')).toMatchObject({ kind: 'file', origin: 'b' });
    expect(tree.get('/srv/real/sub/deep')).toMatchObject({ kind: 'file', origin: 'b' });
    expect(tree.get('/newdir')).toMatchObject({ kind: 'directory', mode: 0o755, implicit: true });
    const rules = tree.notes.map((note) => `${note.rule} ${note.path}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'through-symlink /srv/real/file',
        'implicit-parent /srv/real/sub',
        'implicit-parent /newdir',
      ]),
    );
  });
});

/** Each case: package a, then package b; whether apk 2.14 installs b. */
const APK_CASES: readonly { name: string; a: TarSpec[]; b: TarSpec[] }[] = [
  {
    name: 'file-below-foreign-symlink',
    a: [
      { name: 'srv/', type: '5' },
      { name: 'srv/real/', type: '5' },
      { name: 'opt/', type: '5' },
      { name: 'opt/link', type: '2', linkname: '../srv/real' },
    ],
    b: [{ name: 'opt/link/file', content: 'hi\n' }],
  },
  {
    name: 'listed-folder-through-foreign-symlink',
    a: [
      { name: 'srv/', type: '5' },
      { name: 'srv/real/', type: '5' },
      { name: 'opt/', type: '5' },
      { name: 'opt/link', type: '2', linkname: '../srv/real' },
    ],
    b: [
      { name: 'opt/link/sub/', type: '5' },
      { name: 'opt/link/sub/file', content: 'hi\n' },
    ],
  },
  {
    name: 'implicit-folder-beyond-foreign-symlink',
    a: [
      { name: 'srv/', type: '5' },
      { name: 'srv/real/', type: '5' },
      { name: 'opt/', type: '5' },
      { name: 'opt/link', type: '2', linkname: '../srv/real' },
    ],
    b: [
      { name: 'opt/link/', type: '5' },
      { name: 'opt/link/sub/file', content: 'hi\n' },
    ],
  },
  {
    name: 'file-in-foreign-folder',
    a: [{ name: 'srv/', type: '5' }],
    b: [{ name: 'srv/file', content: 'hi\n' }],
  },
  {
    name: 'folder-listed-after-file',
    a: [{ name: 'srv/', type: '5' }],
    b: [
      { name: 'new/file', content: 'hi\n' },
      { name: 'new/', type: '5' },
    ],
  },
  {
    name: 'top-level-file',
    a: [{ name: 'srv/', type: '5' }],
    b: [{ name: 'top', content: 'hi\n' }],
  },
];

describeWithReference(APK, 'folder rule against Alpine apk 2.14 (chroot)', () => {
  let chroot: AlpineChroot;
  let keys: ApkKeys;
  beforeAll(async () => {
    chroot = await createAlpineChroot();
    keys = await trustTestKey(chroot);
  }, 60_000);
  afterAll(async () => {
    await chroot?.dispose();
  });

  async function built(
    name: string,
    data: TarSpec[],
  ): Promise<{ inside: string; pkg: VerifiedPackage }> {
    const inside = `/tmp/${name}.apk`;
    const pkginfo = `pkgname = ${name}\npkgver = 1.0-r0\narch = x86_64\nsize = 10\n`;
    await writeFile(chroot.host(inside), buildApk({ pkginfo, data, signers: [signer()] }));
    const apk = await readApkPackage(chroot.host(inside), { keys, requireSignature: true });
    const pkg = apkAsVerified(apk, chroot.host(inside), 'test');
    return { inside, pkg };
  }

  it.each(APK_CASES)('installs b as apk does: $name', async ({ name, a, b }) => {
    const target = `/tmp/root-${name}`;
    const keysDir = chroot.host(`${target}/etc/apk/keys`);
    await mkdir(keysDir, { recursive: true });
    for (const key of await readdir(chroot.host('/tmp/keys'))) {
      await copyFile(chroot.host(`/tmp/keys/${key}`), `${keysDir}/${key}`);
    }
    expect((await chroot.apk(['add', '--root', target, '--initdb', '--quiet'])).exitCode).toBe(0);
    const first = await built(`a-${name}`, a);
    const second = await built(`b-${name}`, b);
    expect(
      (await chroot.apk(['add', '--root', target, '--no-scripts', first.inside])).exitCode,
    ).toBe(0);
    const theirs = await chroot.apk(['add', '--root', target, '--no-scripts', second.inside]);

    await tree.addPackage(first.pkg, { folders: FOLDER_RULES.apk });
    const ours = await tree.addPackage(second.pkg, { folders: FOLDER_RULES.apk }).then(
      () => 'installed',
      (error: unknown) => {
        if (error instanceof UnsafeEntryError) return 'refused';
        throw error;
      },
    );
    expect({ ours, apkError: /no dirent in archive/.test(theirs.stderr) }).toEqual({
      ours: theirs.exitCode === 0 ? 'installed' : 'refused',
      apkError: theirs.exitCode !== 0,
    });
    await rm(chroot.host(target), { recursive: true, force: true });
  });
});
