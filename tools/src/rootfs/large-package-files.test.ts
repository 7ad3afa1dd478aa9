import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApk } from '../apk/apk-builder.support.ts';
import { readApkPackage, streamPackageData } from '../apk/index.ts';
import type { VerifiedPackage } from '../backend/types.ts';
import { CONTENT_CHUNK_BYTES } from '../packages/content.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { streamRpmEntries } from '../rpm/index.ts';
import { Tag } from '../rpm/tags.ts';
import { buildRpm, cpioArchive, newcMember, packageTags, str } from '../rpm/test-builder.ts';
import { FOLDER_RULES } from './folder-rules.ts';
import { ImageTree } from './image-tree.ts';
import { EPOCH, makeTempDir, spiedContentStore } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

const SIZE = 3 * CONTENT_CHUNK_BYTES + 99;
const BIG = Uint8Array.from({ length: SIZE }, (_, index) => (index * 17) % 239);
const SMALL = Buffer.from('small\n');

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir('large-files');
});
afterEach(() => temp.cleanup());

function verified(name: string, file: string, entries: VerifiedPackage['entries']) {
  const pkg: VerifiedPackage = {
    package: {
      name,
      version: '1.0-r0',
      arch: 'x86_64',
      repository: 'test',
      size: 0,
      location: basename(file),
      checksum: { type: 'sha256', value: '' },
      reason: 'requested',
    },
    file,
    digest: { algorithm: 'sha256', hex: '0'.repeat(64) },
    signer: undefined,
    scripts: [],
    entries,
  };
  return pkg;
}

/** An .apk with /srv/blob (`blob`, its SHA1 record that of BIG) and /srv/small, as a build reads it. */
async function apkPackage(blob: Uint8Array): Promise<VerifiedPackage> {
  const file = join(temp.dir, 'big.apk');
  const sha1 = createHash('sha1').update(BIG).digest('hex');
  const data = [
    { name: 'srv/', type: '5' as const },
    { name: 'srv/blob', content: blob, pax: { 'APK-TOOLS.checksum.SHA1': sha1 } },
    { name: 'srv/small', content: SMALL },
  ];
  await writeFile(file, buildApk({ data }));
  const apk = await readApkPackage(file, { keys: new Map(), requireSignature: false });
  return verified('demo', file, () => streamPackageData(apk));
}

/** An .rpm with /srv/blob (`blob`, its digest that of BIG) and /srv/small, as a build reads it. */
async function rpmPackage(blob: Uint8Array): Promise<VerifiedPackage> {
  const file = join(temp.dir, 'big.rpm');
  const files = [
    { path: '/srv/blob', content: BIG },
    { path: '/srv/small', content: SMALL },
  ];
  const payload = cpioArchive(
    newcMember('./srv/blob', 0o100644, blob),
    newcMember('./srv/small', 0o100644, SMALL),
  );
  const header = packageTags(files, [[Tag.PAYLOADCOMPRESSOR, str('gzip')]]);
  await writeFile(file, buildRpm({ header, payload: gzipSync(payload) }));
  return verified('test', file, () => streamRpmEntries(file));
}

const FORMATS = [
  ['apk', apkPackage, FOLDER_RULES.apk],
  ['rpm', rpmPackage, FOLDER_RULES.rpm],
] as const;

describe.each(FORMATS)('large files of an .%s', (_format, make, folders) => {
  it('reach the store in bounded chunks, never whole', async () => {
    const { store, largest } = spiedContentStore(join(temp.dir, 'store'));
    const tree = new ImageTree({ store, epoch: EPOCH });
    await tree.addPackage(await make(BIG), { folders });
    const sha256 = createHash('sha256').update(BIG).digest('hex');
    expect(tree.fileAt('/srv/blob')?.node.content).toEqual({ sha256, size: SIZE });
    expect(largest.put).toBe(SMALL.length);
    expect(largest.putStream).toBeGreaterThan(0);
    expect(largest.putStream).toBeLessThanOrEqual(CONTENT_CHUNK_BYTES);
    expect(Buffer.from(await store.read(sha256)).equals(Buffer.from(BIG))).toBe(true);
  });

  it('are refused when their digest fails at the end, leaving nothing in the store', async () => {
    const damaged = BIG.slice();
    damaged[SIZE - 2] = (BIG[SIZE - 2] ?? 0) ^ 0xff;
    const dir = join(temp.dir, 'store');
    const { store, largest } = spiedContentStore(dir);
    const tree = new ImageTree({ store, epoch: EPOCH });
    const error = await tree
      .addPackage(await make(damaged), { folders })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(String(error)).toMatch(/\/srv\/blob/);
    expect(largest.putStream).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual([]);
    expect(tree.fileAt('/srv/blob')).toBeUndefined();
  });
});
