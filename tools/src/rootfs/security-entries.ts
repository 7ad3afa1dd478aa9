import type { ImageNode, NodeKind } from './nodes.ts';

const CAPABILITY_XATTR = 'security.capability';

/**
 * Why an entry deserves a reviewer's look:
 * - `setuid` / `setgid`: a regular file that runs with its owner's or group's rights (the bits
 *   on a folder only steer ownership of new files there and are not listed);
 * - `world-writable`: anyone may change it; a folder counts only without the sticky bit, since a
 *   sticky world-writable folder (/tmp, /var/tmp) is the usual shared scratch space where users
 *   cannot remove one another's files; symlinks are always 0777 and mean nothing by it;
 * - `device`: a character or block device node, access to hardware or kernel memory;
 * - `capabilities`: a file with file capabilities (security.capability), a finer setuid.
 */
export type SecurityFlag = 'setuid' | 'setgid' | 'world-writable' | 'device' | 'capabilities';

export interface SecurityEntry {
  readonly path: string;
  readonly kind: NodeKind;
  /** Permission bits in octal, `4755`. */
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly flags: readonly SecurityFlag[];
  /** Devices: `c 1:3` or `b 8:0`. */
  readonly device?: string;
  /** Hard links: the file whose inode (and so whose flags) they share. */
  readonly linkTo?: string;
}

/** The entries of one origin: a package, `overlay`, or the effect that made them. */
export interface PackageSecurityEntries {
  readonly package: string;
  readonly entries: readonly SecurityEntry[];
}

interface TreeView {
  paths(): string[];
  get(path: string): ImageNode | undefined;
}

function flagsOf(node: Exclude<ImageNode, { kind: 'hardlink' }>): SecurityFlag[] {
  const flags: SecurityFlag[] = [];
  if (node.kind === 'file' && (node.mode & 0o4000) !== 0) flags.push('setuid');
  if (node.kind === 'file' && (node.mode & 0o2000) !== 0) flags.push('setgid');
  const sticky = (node.mode & 0o1000) !== 0;
  if (node.kind !== 'symlink' && (node.mode & 0o002) !== 0) {
    if (node.kind !== 'directory' || !sticky) flags.push('world-writable');
  }
  if (node.kind === 'char' || node.kind === 'block') flags.push('device');
  if (node.kind === 'file' && node.xattrs[CAPABILITY_XATTR] !== undefined) {
    flags.push('capabilities');
  }
  return flags;
}

function entryOf(path: string, node: Exclude<ImageNode, { kind: 'hardlink' }>): SecurityEntry {
  const device =
    node.kind === 'char' || node.kind === 'block'
      ? `${node.kind === 'char' ? 'c' : 'b'} ${node.major}:${node.minor}`
      : undefined;
  return {
    path,
    kind: node.kind,
    mode: node.mode.toString(8).padStart(4, '0'),
    uid: node.uid,
    gid: node.gid,
    flags: flagsOf(node),
    ...(device === undefined ? {} : { device }),
  };
}

/**
 * The security-relevant entries of the finished tree, grouped by the package (or overlay or
 * effect) that put them there, as they end up in the image: after `replaces`, overlays and
 * permission declarations. Origins and paths are sorted.
 */
export function securityEntries(tree: TreeView): PackageSecurityEntries[] {
  const byOrigin = new Map<string, SecurityEntry[]>();
  const add = (origin: string, entry: SecurityEntry) => {
    const list = byOrigin.get(origin) ?? [];
    list.push(entry);
    byOrigin.set(origin, list);
  };
  for (const path of tree.paths()) {
    const node = tree.get(path);
    if (node === undefined) continue;
    if (node.kind === 'hardlink') {
      const target = tree.get(node.target);
      if (target === undefined || target.kind === 'hardlink') continue;
      const entry = entryOf(node.target, target);
      if (entry.flags.length > 0) add(node.origin, { ...entry, path, linkTo: node.target });
      continue;
    }
    const entry = entryOf(path, node);
    if (entry.flags.length > 0) add(node.origin, entry);
  }
  return [...byOrigin]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([origin, entries]) => ({ package: origin, entries }));
}

/** `4755 0:0 setuid` style text of one entry, for the readable report. */
export function describeSecurityEntry(entry: SecurityEntry): string {
  const what = entry.device === undefined ? '' : ` ${entry.device}`;
  const link = entry.linkTo === undefined ? '' : ` (hard link to ${entry.linkTo})`;
  return `${entry.path}${link}  ${entry.mode} ${entry.uid}:${entry.gid}${what}  ${entry.flags.join(', ')}`;
}
