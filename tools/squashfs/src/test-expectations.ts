import type { FixtureNode } from './test-support.ts';
import { MKFS_TIME } from './test-support.ts';

export interface Expected {
  path: string;
  type: 'd' | '-' | 'l' | 'c' | 'b' | 'p' | 's';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  data?: Uint8Array;
  target?: string;
  device?: [number, number];
  xattrs: Record<string, Uint8Array>;
  /** Path of the first name of a hard-linked inode. */
  linkOf?: string;
}

const TYPES = {
  dir: 'd',
  file: '-',
  symlink: 'l',
  char: 'c',
  block: 'b',
  fifo: 'p',
  socket: 's',
} as const;

function parentsOf(path: string): string[] {
  const names = path.split('/').filter(Boolean);
  return names.slice(0, -1).map((_, index) => `/${names.slice(0, index + 1).join('/')}`);
}

/** What the image should contain, implicit parent directories included. */
export function expectedEntries(nodes: readonly FixtureNode[]): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const implicit = (path: string): Expected => ({
    path,
    type: 'd',
    mode: 0o755,
    uid: 0,
    gid: 0,
    mtime: MKFS_TIME,
    xattrs: {},
  });
  out.set('/', implicit('/'));
  for (const node of nodes) {
    for (const parent of parentsOf(node.path)) {
      if (!out.has(parent)) out.set(parent, implicit(parent));
    }
    if (node.kind === 'hardlink') {
      const first = out.get(node.existing) as Expected;
      out.set(node.path, { ...first, path: node.path, linkOf: node.existing });
      continue;
    }
    const { mode, uid, gid, mtime, xattrs = {} } = node.meta;
    const entry: Expected = {
      path: node.path,
      type: TYPES[node.kind],
      mode,
      uid,
      gid,
      mtime,
      xattrs: { ...xattrs },
    };
    if (node.kind === 'file') entry.data = node.data;
    if (node.kind === 'symlink') entry.target = node.target;
    if (node.kind === 'char' || node.kind === 'block') entry.device = [node.major, node.minor];
    out.set(node.path, entry);
  }
  return out;
}

/** ls -l style permission string, e.g. "-rwsr-xr-x". */
export function modeString(type: string, mode: number): string {
  const chars = [type];
  for (const shift of [6, 3, 0]) {
    chars.push(
      mode & (4 << shift) ? 'r' : '-',
      mode & (2 << shift) ? 'w' : '-',
      mode & (1 << shift) ? 'x' : '-',
    );
  }
  const special = (index: number, bit: number, set: string): void => {
    if (mode & bit) chars[index] = chars[index] === 'x' ? set : set.toUpperCase();
  };
  special(3, 0o4000, 's');
  special(6, 0o2000, 's');
  special(9, 0o1000, 't');
  return chars.join('');
}

export function utcMinute(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface ListedEntry {
  perms: string;
  uid: number;
  gid: number;
  size: string;
  date: string;
  path: string;
  target?: string;
}

/** Parses `unsquashfs -lln` output. */
export function parseListing(output: string): Map<string, ListedEntry> {
  const pattern =
    /^(\S{10}) (\d+)\/(\d+)\s+(\d+|\d+,\s*\d+) (\d{4}-\d\d-\d\d \d\d:\d\d) squashfs-root(.*?)(?: -> (.*))?$/;
  const listed = new Map<string, ListedEntry>();
  for (const line of output.split('\n')) {
    const match = pattern.exec(line);
    if (match === null) continue;
    const [, perms, uid, gid, size, date, rawPath, target] = match as unknown as string[];
    const path = rawPath === '' ? '/' : (rawPath as string);
    listed.set(path, {
      perms: perms as string,
      uid: Number(uid),
      gid: Number(gid),
      size: (size as string).replace(/\s+/g, ' '),
      date: date as string,
      path,
      ...(target === undefined ? {} : { target }),
    });
  }
  return listed;
}
