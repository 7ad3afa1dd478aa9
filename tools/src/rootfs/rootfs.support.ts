import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadApkKeys, readApkPackage, streamPackageData } from '../apk/index.ts';
import type { ApkPackage, ApkPackageInfo } from '../apk/index.ts';
import type { VerifiedPackage } from '../backend/types.ts';
import { createRunner } from '../core/run.ts';
import type { PackageEntry, PackageScript, StreamedEntry } from '../packages/model.ts';
import { fixture } from '../test-support/fixtures.ts';
import { createContentStore } from './content-store.ts';
import type { ContentStore } from './content-store.ts';
import { ImageTree } from './image-tree.ts';

export const EPOCH = 1_700_000_000;
export const PACKAGE_TIME = 1_600_000_000;

export interface TempDir {
  readonly dir: string;
  cleanup(): void;
}

export function makeTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), `rootfs-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newTree(dir: string, epoch = EPOCH): ImageTree {
  return new ImageTree({ store: createContentStore(join(dir, 'store')), epoch });
}

/** A hand-made entry: APK-like (numeric root owner) unless `rpm` drops the numbers. */
export type SyntheticEntry = Partial<PackageEntry> & {
  readonly path: string;
  readonly content?: string | Uint8Array;
  readonly rpm?: boolean;
};

function streamed(spec: SyntheticEntry): StreamedEntry {
  const { content, rpm, ...rest } = spec;
  const type =
    rest.type ??
    (content !== undefined ? 'file' : rest.linkTarget !== undefined ? 'symlink' : 'directory');
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const entry: PackageEntry = {
    type,
    mode: type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644,
    user: 'root',
    group: 'root',
    ...(rpm === true ? {} : { uid: 0, gid: 0 }),
    size: bytes?.length ?? 0,
    mtime: PACKAGE_TIME,
    flags: [],
    ...rest,
  };
  return bytes === undefined ? { entry } : { entry, content: new Uint8Array(bytes) };
}

/** A VerifiedPackage whose entries are the given hand-made ones, in order. */
export function syntheticPackage(
  name: string,
  entries: readonly SyntheticEntry[],
  scripts: readonly PackageScript[] = [],
): VerifiedPackage {
  const version = '1.0-r0';
  return {
    package: {
      name,
      version,
      arch: 'x86_64',
      repository: 'synthetic',
      size: 0,
      location: `${name}-${version}.apk`,
      checksum: { type: 'sha256', value: '' },
      reason: 'requested',
    },
    file: `/synthetic/${name}-${version}.apk`,
    digest: { algorithm: 'sha256', hex: '0'.repeat(64) },
    signer: undefined,
    scripts,
    async *entries() {
      for (const spec of entries) yield streamed(spec);
    },
  };
}

export const text = (bytes: Uint8Array | undefined): string =>
  Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

export const runner = createRunner();

export const MINIROOTFS = () =>
  fixture('apkindex', 'alpine-minirootfs', 'alpine-minirootfs-3.20.3-x86_64.tar.gz');

/** Extracts members of the Alpine minirootfs into `dir` with tar; returns a reader for them. */
export async function extractMinirootfs(dir: string, members: readonly string[]) {
  await runner.run([
    'tar',
    '-xzf',
    MINIROOTFS(),
    '-C',
    dir,
    ...members.map((member) => `./${member}`),
  ]);
  return (member: string) => readFile(join(dir, member));
}

/** `tar -tvzf` of the minirootfs: the target of every symlink, by image path. */
export async function minirootfsSymlinks(): Promise<Map<string, string>> {
  const { stdout } = await runner.run(['tar', '-tvzf', MINIROOTFS()]);
  const links = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^l\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+\.\/(.*?) -> (.*)$/.exec(line);
    if (match !== null) links.set(`/${match[1] as string}`, match[2] as string);
  }
  return links;
}

/** A package holding the Alpine minirootfs' account files, as alpine-baselayout-data does. */
export async function accountDataPackage(
  dir: string,
  name = 'alpine-baselayout-data',
): Promise<VerifiedPackage> {
  const read = await extractMinirootfs(dir, ['etc/passwd', 'etc/group', 'etc/shadow']);
  return syntheticPackage(name, [
    { path: '/etc' },
    { path: '/etc/passwd', content: await read('etc/passwd') },
    { path: '/etc/group', content: await read('etc/group') },
    {
      path: '/etc/shadow',
      content: await read('etc/shadow'),
      mode: 0o640,
      gid: 42,
      group: 'shadow',
    },
  ]);
}

export const APKO_REPO = (name: string) =>
  fixture('apk', 'synthetic', 'apko-repo', 'packages', 'x86_64', name);

/** A read and verified .apk as the APK backend hands it over to the build. */
export function apkAsVerified(apk: ApkPackage, file: string, repository: string): VerifiedPackage {
  return {
    package: {
      name: apk.info.name,
      version: apk.info.version,
      arch: apk.info.arch ?? 'x86_64',
      repository,
      size: apk.dataOffset + apk.dataLength,
      location: basename(file),
      checksum: { type: 'apk-control-sha1', value: apk.controlHash },
      reason: 'requested',
    },
    file,
    digest: { algorithm: 'sha256', hex: apk.datahash },
    signer: apk.signer,
    scripts: apk.scripts,
    entries: () => streamPackageData(apk),
  };
}

/** A real .apk, verified against the keys in `keyDir`, as the APK backend hands it over. */
export async function verifiedApk(
  file: string,
  keyDir: string,
): Promise<{ pkg: VerifiedPackage; info: ApkPackageInfo }> {
  const apk = await readApkPackage(file, {
    keys: await loadApkKeys(keyDir),
    requireSignature: true,
  });
  return { pkg: apkAsVerified(apk, file, 'fixtures'), info: apk.info };
}

/** The store, with the largest buffer that went in or came out of it by each route. */
export function spiedContentStore(dir: string) {
  const store = createContentStore(dir);
  const largest = { put: 0, putStream: 0, stream: 0 };
  const spied: ContentStore = {
    ...store,
    put: (bytes, source) => {
      largest.put = Math.max(largest.put, bytes.length);
      return store.put(bytes, source);
    },
    putStream: (chunks, source) =>
      store.putStream(
        (async function* () {
          for await (const chunk of chunks) {
            largest.putStream = Math.max(largest.putStream, chunk.length);
            yield chunk;
          }
        })(),
        source,
      ),
    async *stream(sha256) {
      for await (const chunk of store.stream(sha256)) {
        largest.stream = Math.max(largest.stream, chunk.length);
        yield chunk;
      }
    },
  };
  return { store: spied, largest };
}
