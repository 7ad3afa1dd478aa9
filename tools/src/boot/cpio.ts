/**
 * A writer for the cpio "newc" format (magic 070701) that the Linux kernel unpacks as an
 * initramfs. Output is deterministic: inode numbers are assigned in order, device numbers are
 * zero, and times come from the entries.
 */

export type CpioEntry =
  | { readonly type: 'directory'; readonly path: string; readonly meta: CpioMeta }
  | {
      readonly type: 'file';
      readonly path: string;
      readonly meta: CpioMeta;
      readonly content: Uint8Array;
    }
  | {
      readonly type: 'symlink';
      readonly path: string;
      readonly meta: CpioMeta;
      readonly target: string;
    }
  | {
      readonly type: 'char-device' | 'block-device';
      readonly path: string;
      readonly meta: CpioMeta;
      readonly major: number;
      readonly minor: number;
    };

export interface CpioMeta {
  /** Permission bits (0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
}

const TYPE_BITS = {
  directory: 0o040000,
  file: 0o100000,
  symlink: 0o120000,
  'char-device': 0o020000,
  'block-device': 0o060000,
} as const;

const TRAILER = 'TRAILER!!!';

/** Serialises entries in the order given; parents should come before their children. */
export function writeCpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    offset += bytes.length;
    const pad = (4 - (offset % 4)) % 4;
    if (pad > 0) {
      parts.push(new Uint8Array(pad));
      offset += pad;
    }
  };
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const name = archiveName(entry.path);
    if (seen.has(name)) throw new Error(`initramfs entry ${entry.path} is listed twice`);
    seen.add(name);
    const data = dataOf(entry);
    const header = headerFor({
      ino: index + 1,
      mode: TYPE_BITS[entry.type] | (entry.meta.mode & 0o7777),
      uid: entry.meta.uid,
      gid: entry.meta.gid,
      nlink: entry.type === 'directory' ? 2 : 1,
      mtime: entry.meta.mtime,
      size: data.length,
      rdevMajor: entry.type === 'char-device' || entry.type === 'block-device' ? entry.major : 0,
      rdevMinor: entry.type === 'char-device' || entry.type === 'block-device' ? entry.minor : 0,
      nameSize: Buffer.byteLength(name) + 1,
    });
    push(concat(header, new TextEncoder().encode(`${name}\0`)));
    if (data.length > 0) push(data);
  });
  push(
    concat(
      headerFor({
        ino: 0,
        mode: 0,
        uid: 0,
        gid: 0,
        nlink: 1,
        mtime: 0,
        size: 0,
        rdevMajor: 0,
        rdevMinor: 0,
        nameSize: TRAILER.length + 1,
      }),
      new TextEncoder().encode(`${TRAILER}\0`),
    ),
  );
  return concat(...parts);
}

interface HeaderFields {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  size: number;
  rdevMajor: number;
  rdevMinor: number;
  nameSize: number;
}

function headerFor(fields: HeaderFields): Uint8Array {
  const hex = (value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`cpio header field out of range: ${value}`);
    }
    return value.toString(16).padStart(8, '0');
  };
  const text = [
    '070701',
    hex(fields.ino),
    hex(fields.mode),
    hex(fields.uid),
    hex(fields.gid),
    hex(fields.nlink),
    hex(fields.mtime),
    hex(fields.size),
    hex(0),
    hex(0),
    hex(fields.rdevMajor),
    hex(fields.rdevMinor),
    hex(fields.nameSize),
    hex(0),
  ].join('');
  return new TextEncoder().encode(text);
}

function dataOf(entry: CpioEntry): Uint8Array {
  if (entry.type === 'file') return entry.content;
  if (entry.type === 'symlink') return new TextEncoder().encode(entry.target);
  return new Uint8Array();
}

/** Archive member names are relative (`usr/bin/sh`); the root itself is `.`. */
function archiveName(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new Error(`initramfs path ${path} contains ".."`);
  return parts.length === 0 ? '.' : parts.join('/');
}

function concat(...chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}
