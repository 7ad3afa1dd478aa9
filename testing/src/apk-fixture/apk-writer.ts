import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { FIXTURE_EPOCH, apkFileName, formatPkginfo } from './control-text.ts';
import type { WrittenApk } from './control-text.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { signBytes, signatureFileName } from './signing-key.ts';
import type { ApkSigningKey } from './signing-key.ts';
import {
  TAR_END_OF_ARCHIVE,
  concatBytes,
  rootFileMember,
  tarMemberHeader,
  tarPadding,
} from './tar-writer.ts';
import type { TarMember } from './tar-writer.ts';

const INSTALL_BLOCK = 4096;
const CONTROL_LEVEL = constants.Z_BEST_COMPRESSION;
/** zlib's default level for data: abuild's -9 costs twice the time for a few percent. */
const DATA_LEVEL = constants.Z_DEFAULT_COMPRESSION;
/** The pax record apk 2 reads each file's (or symlink target's) SHA-1 from. */
const CHECKSUM_RECORD = 'APK-TOOLS.checksum.SHA1';

interface DataMember {
  readonly chunks: readonly Buffer[];
  readonly length: number;
  readonly datahash: string;
  readonly installedSize: number;
}

function archiveName(path: string): string {
  if (
    !path.startsWith('/') ||
    path === '/' ||
    path.endsWith('/') ||
    /\/\.\.?(\/|$)|\/\//.test(path)
  ) {
    throw new Error(`not a normalised absolute path: ${JSON.stringify(path)}`);
  }
  return path.slice(1);
}

function sortedEntries(spec: ApkPackageSpec): ApkEntry[] {
  const entries = [...spec.entries].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  for (let i = 1; i < entries.length; i += 1) {
    if (entries[i]?.path === entries[i - 1]?.path) {
      throw new Error(`${spec.name}: ${entries[i]?.path} is listed twice`);
    }
  }
  // apk refuses a member whose folder has no entry of its own ("no dirent in archive").
  const dirs = new Set(entries.filter((e) => e.type === 'directory').map((e) => e.path));
  for (const entry of entries) {
    const parent = entry.path.slice(0, entry.path.lastIndexOf('/'));
    if (parent !== '' && !dirs.has(parent)) {
      throw new Error(`${spec.name}: ${entry.path} has no entry for its folder ${parent}`);
    }
  }
  return entries;
}

function memberOf(entry: ApkEntry, size: number, pax?: Record<string, string>): TarMember {
  return {
    name: archiveName(entry.path),
    type: entry.type,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    uname: entry.user,
    gname: entry.group,
    size,
    mtime: FIXTURE_EPOCH,
    ...(entry.type === 'symlink' ? { linkTarget: entry.target } : {}),
    ...(pax === undefined ? {} : { pax }),
  };
}

function roundToBlock(size: number): number {
  return Math.ceil(size / INSTALL_BLOCK) * INSTALL_BLOCK;
}

/** Streams the data tar (sorted entries, pax SHA-1 checksums, end-of-archive) through gzip. */
async function writeDataMember(spec: ApkPackageSpec): Promise<DataMember> {
  const gzip = createGzip({ level: spec.compressionLevel ?? DATA_LEVEL });
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let length = 0;
  gzip.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    hash.update(chunk);
    length += chunk.length;
  });
  const ended = once(gzip, 'end');
  const write = async (bytes: Uint8Array) => {
    if (bytes.length > 0 && !gzip.write(bytes)) {
      await once(gzip, 'drain');
    }
  };
  let installedSize = 0;
  for (const entry of sortedEntries(spec)) {
    if (entry.type === 'directory') {
      installedSize += INSTALL_BLOCK;
      await write(tarMemberHeader(memberOf(entry, 0)));
      continue;
    }
    if (entry.type === 'symlink') {
      const sha1 = createHash('sha1').update(entry.target).digest('hex');
      await write(tarMemberHeader(memberOf(entry, 0, { [CHECKSUM_RECORD]: sha1 })));
      continue;
    }
    const content =
      entry.content instanceof Uint8Array ? entry.content : await readFile(entry.content.hostPath);
    const sha1 = createHash('sha1').update(content).digest('hex');
    installedSize += roundToBlock(content.length);
    await write(tarMemberHeader(memberOf(entry, content.length, { [CHECKSUM_RECORD]: sha1 })));
    await write(content);
    await write(tarPadding(content.length));
  }
  await write(TAR_END_OF_ARCHIVE);
  gzip.end();
  await ended;
  return { chunks, length, datahash: hash.digest('hex'), installedSize };
}

/** A tar member for the control or signature part: root-owned, fixed mtime. */
function controlFile(name: string, content: Uint8Array, mode: number): Uint8Array {
  return rootFileMember(name, content, mode, FIXTURE_EPOCH);
}

/**
 * The control member: `.PKGINFO` and the install scripts, without end-of-archive blocks so that
 * the data tar continues the same stream, as abuild cuts it.
 */
export function controlMember(
  spec: ApkPackageSpec,
  installedSize: number,
  datahash: string,
): Uint8Array {
  const encoder = new TextEncoder();
  const pkginfo = formatPkginfo(spec, spec.installedSize ?? installedSize, datahash);
  const members = [controlFile('.PKGINFO', encoder.encode(pkginfo), 0o644)];
  const scripts = [...spec.scripts].sort((a, b) => (a.phase < b.phase ? -1 : 1));
  for (const script of scripts) {
    members.push(controlFile(`.${script.phase}`, encoder.encode(script.body), 0o755));
  }
  return gzipSync(concatBytes(members), { level: CONTROL_LEVEL });
}

/** The signature member over `signed` (a control member, or an index body). */
export function signatureMember(key: ApkSigningKey, signed: Uint8Array): Uint8Array {
  const signature = signBytes(key, signed);
  return gzipSync(controlFile(signatureFileName(key), signature, 0o644), { level: CONTROL_LEVEL });
}

export function controlHashOf(control: Uint8Array): string {
  return `Q1${createHash('sha1').update(control).digest('base64')}`;
}

/**
 * Writes `<dir>/<name>-<version>.apk`: signature, control and data gzip members. Apart from the
 * signature, the bytes depend only on the spec.
 */
export async function writeApkPackage(
  spec: ApkPackageSpec,
  key: ApkSigningKey,
  dir: string,
): Promise<WrittenApk> {
  const data = await writeDataMember(spec);
  const control = controlMember(spec, data.installedSize, data.datahash);
  const signature = signatureMember(key, control);
  const fileName = apkFileName(spec);
  const handle = await open(join(dir, fileName), 'wx');
  try {
    await handle.write(signature);
    await handle.write(control);
    for (const chunk of data.chunks) {
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return {
    spec,
    fileName,
    fileSize: signature.length + control.length + data.length,
    installedSize: spec.installedSize ?? data.installedSize,
    controlHash: controlHashOf(control),
    datahash: data.datahash,
  };
}
