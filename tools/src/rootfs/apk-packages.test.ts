import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeEntryError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import type { ImageTree } from './image-tree.ts';
import { APKO_REPO, makeTempDir, newTree, runner, verifiedApk } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

const TEST_KEYS = () => fixture('keys', 'test');
const ALPINE_KEYS = () => fixture('keys', 'alpine');

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('apk');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

/** What GNU tar extracts from the package, as the reference for contents. */
async function unpacked(file: string): Promise<string> {
  const dir = join(temp.dir, 'unpacked');
  await runner.run(['mkdir', '-p', dir]);
  await runner.run(['tar', '-xzf', file, '-C', dir]);
  return dir;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('real APKs in the tree', () => {
  it('installs the apko repository packages with their contents, owners and merged directories', async () => {
    const names = [
      'pretend-baselayout-1.0.0-r0.apk',
      'custom-ca-certs-1-1.0.0-r0.apk',
      'custom-ca-certs-2-1.0.0-r0.apk',
    ];
    for (const name of names) {
      const { pkg } = await verifiedApk(APKO_REPO(name), TEST_KEYS());
      await tree.addPackage(pkg, { folders: FOLDER_RULES.apk });
    }
    const reference = await unpacked(APKO_REPO('custom-ca-certs-1-1.0.0-r0.apk'));
    for (const cert of ['cert-a.crt', 'cert-b.crt']) {
      const path = `/usr/local/share/ca-certificates/${cert}`;
      const node = tree.get(path);
      if (node?.kind !== 'file') throw new Error(`${path} is not a file`);
      const expected = readFileSync(join(reference, 'usr/local/share/ca-certificates', cert));
      expect(node.content).toEqual({ sha256: sha256(expected), size: expected.length });
      expect(node).toMatchObject({
        mode: 0o644,
        origin: 'custom-ca-certs-1',
        owner: { user: '501', group: 'dialout', uid: 501, gid: 20 },
      });
    }
    expect(tree.get('/usr/local/share/ca-certificates/cert-d.crt')).toMatchObject({
      origin: 'custom-ca-certs-2',
    });
    const merged = tree.notes
      .filter((note) => note.rule === 'merged-directory')
      .map((note) => note.path);
    expect(merged).toEqual(
      expect.arrayContaining(['/usr/local/share/ca-certificates', '/var/lib/db/sbom']),
    );

    // No /etc/passwd in this image: apk keeps the numbers recorded in the package.
    await tree.resolveOwners();
    expect(tree.get('/usr/local/share/ca-certificates/cert-c.crt')).toMatchObject({
      uid: 501,
      gid: 20,
    });
    expect(tree.get('/etc/os-release')).toMatchObject({ uid: 501, gid: 20 });
  });

  it('refuses replayout over pretend-baselayout until its `replaces` is honoured', async () => {
    const base = await verifiedApk(APKO_REPO('pretend-baselayout-1.0.0-r0.apk'), TEST_KEYS());
    const replayout = await verifiedApk(APKO_REPO('replayout-1.0.0-r0.apk'), TEST_KEYS());
    expect(replayout.info.replaces).toEqual(['pretend-baselayout']);
    await tree.addPackage(base.pkg);

    const error = await tree.addPackage(replayout.pkg).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnsafeEntryError);
    expect((error as UnsafeEntryError).message).toContain(
      '/etc/os-release of replayout-1.0.0-r0 conflicts',
    );
    expect((error as UnsafeEntryError).message).toContain('pretend-baselayout installed there');

    const infos = new Map([[replayout.info.name, replayout.info]]);
    const replaces = (later: string, earlier: string) =>
      infos.get(later)?.replaces.includes(earlier) ?? false;
    const fresh = newTree(join(temp.dir, 'second'));
    await fresh.addPackage(base.pkg);
    await fresh.addPackage(replayout.pkg, { replaces });
    expect(Buffer.from((await fresh.readFile('/etc/os-release')) ?? []).toString()).toContain(
      'ID=replaces',
    );
    expect(fresh.notes.find((note) => note.rule === 'replaced')?.message).toBe(
      'replayout replaces pretend-baselayout: its /etc/os-release wins',
    );
  });

  it("keeps the modes and symlinks of Alpine's own alpine-baselayout", async () => {
    const { pkg } = await verifiedApk(
      fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
      ALPINE_KEYS(),
    );
    const test = await verifiedApk(fixture('apk', 'alpine', 'test_alpine.apk'), ALPINE_KEYS());
    const summary = await tree.addPackage(pkg, { folders: FOLDER_RULES.apk });
    await tree.addPackage(test.pkg, { folders: FOLDER_RULES.apk });
    expect(summary.files).toBeGreaterThan(5);
    expect(tree.get('/tmp')).toMatchObject({ kind: 'directory', mode: 0o1777 });
    expect(tree.get('/root')).toMatchObject({ kind: 'directory', mode: 0o700 });
    expect(tree.get('/var/empty')).toMatchObject({ kind: 'directory', mode: 0o555 });
    expect(tree.get('/etc/crontabs/root')).toMatchObject({ kind: 'file', mode: 0o600 });
    expect(tree.get('/sbin/mkmntdirs')).toMatchObject({ kind: 'file', mode: 0o755 });
    expect(tree.get('/var/run')).toMatchObject({ kind: 'symlink', target: '/run' });
    expect(tree.get('/usr/sbin/apachectl')).toMatchObject({ kind: 'file', origin: 'apache2-ctl' });
    expect(tree.notes.filter((note) => note.rule === 'implicit-parent')).toEqual([]);
    const reference = await unpacked(fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'));
    expect(
      Buffer.from((await tree.readFile('/etc/motd')) ?? []).equals(
        readFileSync(join(reference, 'etc/motd')),
      ),
    ).toBe(true);
  });
});
