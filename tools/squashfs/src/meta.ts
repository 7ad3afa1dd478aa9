import { isWellFormed, quote } from './paths.ts';
import type { NodeMeta } from './types.ts';

/** Longest xattr name (XATTR_NAME_MAX) and value (XATTR_SIZE_MAX) Linux accepts. */
const MAX_XATTR_NAME_BYTES = 255;
const MAX_XATTR_VALUE_BYTES = 65536;
const XATTR_PREFIXES = ['user.', 'trusted.', 'security.'];
const U32_MAX = 0xffffffff;

export type XattrList = readonly (readonly [name: string, value: Uint8Array])[];

/** Validated, private copy of a NodeMeta; xattrs sorted by name bytes. */
export interface CheckedMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly xattrs: XattrList;
}

export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= U32_MAX;
}

function checkXattrs(path: string, xattrs: NodeMeta['xattrs']): XattrList {
  if (xattrs === undefined) return [];
  if (xattrs === null || typeof xattrs !== 'object') {
    throw new TypeError(`squashfs: xattrs of ${quote(path)} must be an object`);
  }
  const list: (readonly [string, Uint8Array])[] = [];
  for (const [name, value] of Object.entries(xattrs)) {
    const problem = xattrNameProblem(name);
    if (problem !== undefined) {
      throw new Error(`squashfs: xattr ${quote(name)} of ${quote(path)}: ${problem}`);
    }
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`squashfs: xattr ${quote(name)} of ${quote(path)} must be a Uint8Array`);
    }
    if (value.byteLength > MAX_XATTR_VALUE_BYTES) {
      throw new Error(
        `squashfs: xattr ${quote(name)} of ${quote(path)} is larger than ${MAX_XATTR_VALUE_BYTES} bytes`,
      );
    }
    list.push([name, Uint8Array.from(value)]);
  }
  return list.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function xattrNameProblem(name: string): string | undefined {
  const prefix = XATTR_PREFIXES.find((candidate) => name.startsWith(candidate));
  if (prefix === undefined || name.length === prefix.length) {
    return `only ${XATTR_PREFIXES.map((p) => `"${p}*"`).join(', ')} names can be stored`;
  }
  if (name.includes('\0') || !isWellFormed(name)) return 'the name is not valid text';
  if (Buffer.byteLength(name, 'utf8') > MAX_XATTR_NAME_BYTES) {
    return `the name is longer than ${MAX_XATTR_NAME_BYTES} bytes`;
  }
  return undefined;
}

export function checkMeta(path: string, meta: NodeMeta): CheckedMeta {
  if (meta === null || typeof meta !== 'object') {
    throw new TypeError(`squashfs: metadata of ${quote(path)} must be an object`);
  }
  const { mode, uid, gid, mtime } = meta;
  if (!isUint32(mode) || mode > 0o7777) {
    throw new Error(
      `squashfs: mode of ${quote(path)} must hold permission bits only (0 to 0o7777), got ${String(mode)}`,
    );
  }
  for (const [field, value] of [
    ['uid', uid],
    ['gid', gid],
    ['mtime', mtime],
  ] as const) {
    if (!isUint32(value)) {
      throw new Error(
        `squashfs: ${field} of ${quote(path)} must be an integer from 0 to ${U32_MAX}, got ${String(value)}`,
      );
    }
  }
  return { mode, uid, gid, mtime, xattrs: checkXattrs(path, meta.xattrs) };
}

/** Metadata of directories created implicitly as parents: root:root 0755 at mkfs time. */
export function implicitDirectoryMeta(mkfsTime: number): CheckedMeta {
  return { mode: 0o755, uid: 0, gid: 0, mtime: mkfsTime, xattrs: [] };
}
