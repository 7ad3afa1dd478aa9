import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WholeEntry } from '../packages/content.ts';

/** Every path under `root` (as `/a/b`), with its lstat, symlinks not followed. */
export async function listTree(root: string): Promise<Map<string, Stats>> {
  const out = new Map<string, Stats>();
  const visit = async (relative: string): Promise<void> => {
    for (const name of (await readdir(join(root, relative))).sort()) {
      const path = `${relative}/${name}`;
      const stats = await lstat(join(root, path));
      out.set(path, stats);
      if (stats.isDirectory()) {
        await visit(path);
      }
    }
  };
  await visit('');
  return out;
}

/** One package's record in apk's `lib/apk/db/installed`. */
export interface InstalledRecord {
  readonly controlHash: string;
  /** Directory (`/` for the root) → its `M:` acl `uid:gid:mode`, undefined for the default. */
  readonly dirs: Map<string, string | undefined>;
  readonly files: Map<string, { acl?: string; checksum?: string }>;
}

export function findInstalledRecord(db: string, name: string): InstalledRecord | undefined {
  for (const block of db.split('\n\n')) {
    const lines = block.split('\n').filter((line) => line.length >= 2 && line[1] === ':');
    if (!lines.includes(`P:${name}`)) {
      continue;
    }
    const record: InstalledRecord = { controlHash: '', dirs: new Map(), files: new Map() };
    let dir = '/';
    let file: { acl?: string; checksum?: string } | undefined;
    let controlHash = '';
    for (const line of lines) {
      const [key, value] = [line[0], line.slice(2)];
      if (key === 'C') {
        controlHash = value;
      } else if (key === 'F') {
        dir = `/${value}`;
        record.dirs.set(dir, undefined);
        file = undefined;
      } else if (key === 'M') {
        record.dirs.set(dir, value);
      } else if (key === 'R') {
        file = {};
        record.files.set(dir === '/' ? `/${value}` : `${dir}/${value}`, file);
      } else if (key === 'a' && file !== undefined) {
        file.acl = value;
      } else if (key === 'Z' && file !== undefined) {
        file.checksum = value;
      }
    }
    return { ...record, controlHash };
  }
  return undefined;
}

const KINDS: readonly [string, (stats: Stats) => boolean][] = [
  ['directory', (s) => s.isDirectory()],
  ['file', (s) => s.isFile()],
  ['symlink', (s) => s.isSymbolicLink()],
  ['char-device', (s) => s.isCharacterDevice()],
  ['block-device', (s) => s.isBlockDevice()],
  ['fifo', (s) => s.isFIFO()],
];

function kindOnDisk(stats: Stats): string {
  return KINDS.find(([, test]) => test(stats))?.[0] ?? 'other';
}

function digest(algorithm: string, bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

function acl(uid: number | undefined, gid: number | undefined, mode: number): string {
  return `${uid ?? 0}:${gid ?? 0}:${mode.toString(8)}`;
}

/** One way apk's result and our entries disagree. */
export interface InstallDifference {
  readonly path: string;
  /** What differs: `mode`, `db checksum`, `only in db`, ... */
  readonly what: string;
  readonly apk: string;
  readonly ours: string;
  /** Whether our entry carries xattrs or capabilities. */
  readonly xattrs: boolean;
}

export function describeDifference(d: InstallDifference): string {
  return `${d.path}: ${d.what}: apk ${d.apk}, ours ${d.ours}`;
}

function splitAcl(value: string | undefined, fallback: string): { acl: string; xattrs: boolean } {
  const parts = (value ?? fallback).split(':');
  return { acl: parts.slice(0, 3).join(':'), xattrs: parts.length > 3 };
}

/**
 * Differences between the entries the reader produced and what apk installed: the tree on disk
 * (lstat) and apk's installed-database record. Directories that existed before the package was
 * added keep their metadata on disk (apk does not re-own them), so for those only the record
 * is compared. The xattr digest apk appends to an acl is compared for presence only.
 */
export async function compareInstall(
  target: string,
  before: ReadonlySet<string>,
  streamed: readonly WholeEntry[],
  record: InstalledRecord,
): Promise<InstallDifference[]> {
  const tree = await listTree(target);
  const diffs: InstallDifference[] = [];
  const ours = new Map(streamed.map((item) => [item.entry.path, item.entry]));
  const note = (path: string, what: string, apk: unknown, mine: unknown) => {
    if (apk !== mine) {
      const entry = ours.get(path);
      const xattrs = entry?.xattrs !== undefined || entry?.capabilities !== undefined;
      diffs.push({ path, what, apk: String(apk), ours: String(mine), xattrs });
    }
  };
  for (const { entry, content } of streamed) {
    const { path } = entry;
    const stats = tree.get(path);
    if (stats === undefined) {
      note(path, 'on disk', 'absent', entry.type);
      continue;
    }
    note(path, 'type', kindOnDisk(stats), entry.type === 'hardlink' ? 'file' : entry.type);
    if (entry.type === 'directory' && before.has(path)) {
      continue;
    }
    if (entry.type !== 'symlink') {
      note(path, 'mode', (stats.mode & 0o7777).toString(8), entry.mode.toString(8));
    }
    note(path, 'uid', stats.uid, entry.uid);
    note(path, 'gid', stats.gid, entry.gid);
    if (entry.type === 'file' && content !== undefined) {
      note(path, 'size', stats.size, entry.size);
      const disk = await readFile(join(target, path));
      note(path, 'sha1', digest('sha1', disk), digest('sha1', content));
      note(path, 'sha256', digest('sha256', disk), digest('sha256', content));
      note(path, 'mtime', Math.floor(stats.mtimeMs / 1000), entry.mtime);
    }
    if (entry.type === 'symlink') {
      note(path, 'link target', await readlink(join(target, path)), entry.linkTarget);
    }
    if (entry.type === 'hardlink') {
      note(path, 'inode', stats.ino, tree.get(entry.linkTarget ?? '')?.ino);
    }
    if (entry.device !== undefined) {
      note(path, 'device', stats.rdev, entry.device.major * 256 + entry.device.minor);
    }
  }
  for (const path of tree.keys()) {
    if (!before.has(path) && !ours.has(path)) {
      note(path, 'on disk', 'present', 'absent');
    }
  }
  for (const { entry } of streamed) {
    const mine = acl(entry.uid, entry.gid, entry.mode);
    const hasXattrs = entry.xattrs !== undefined || entry.capabilities !== undefined;
    const dir = entry.type === 'directory';
    const file = dir ? undefined : record.files.get(entry.path);
    if (dir ? !record.dirs.has(entry.path) : file === undefined) {
      note(entry.path, 'in db', 'absent', 'present');
      continue;
    }
    const theirs = splitAcl(
      dir ? record.dirs.get(entry.path) : file?.acl,
      dir ? '0:0:755' : '0:0:644',
    );
    note(entry.path, 'db acl', theirs.acl, mine);
    note(entry.path, 'db xattr digest', theirs.xattrs, hasXattrs);
    if (!dir) {
      const checksum =
        entry.digest === undefined
          ? undefined
          : `Q1${Buffer.from(entry.digest.hex, 'hex').toString('base64')}`;
      note(entry.path, 'db checksum', file?.checksum, checksum);
    }
  }
  for (const path of [...record.dirs.keys(), ...record.files.keys()]) {
    if (!ours.has(path)) {
      note(path, 'in db', 'present', 'absent');
    }
  }
  return diffs;
}
