/**
 * One file system entry as any of the readers gives it (ISO 9660, FAT via mtools, cpio,
 * squashfs), and how two lists of them differ. Fields a format does not carry are left out
 * and never compared.
 */
export interface DiffEntry {
  readonly path: string;
  readonly type: string;
  readonly size?: number;
  readonly sha256?: string;
  readonly target?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
  readonly xattrs?: Readonly<Record<string, string>>;
}

/** What changed about one path; `content` covers a new type or link target too. */
export type ChangeKind = 'added' | 'removed' | 'content' | 'mode' | 'owner' | 'mtime' | 'xattr';

export interface FileChange {
  readonly path: string;
  readonly kinds: readonly ChangeKind[];
  /** Sizes of a regular file on either side. */
  readonly size: { readonly a?: number; readonly b?: number };
  /** What changed, in words: `file → symlink`, `0644 → 0755`, `0:0 → 1000:1000`. */
  readonly detail?: string;
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

function sameXattrs(a: DiffEntry, b: DiffEntry): boolean {
  const left = a.xattrs ?? {};
  const right = b.xattrs ?? {};
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}

function changeOf(a: DiffEntry, b: DiffEntry): FileChange | undefined {
  const kinds: ChangeKind[] = [];
  const details: string[] = [];
  if (a.type !== b.type) {
    kinds.push('content');
    details.push(`${a.type} → ${b.type}`);
  } else if (a.sha256 !== b.sha256 || a.size !== b.size || a.target !== b.target) {
    kinds.push('content');
    if (a.target !== b.target) details.push(`→ ${a.target ?? ''} became → ${b.target ?? ''}`);
  }
  if (a.mode !== undefined && b.mode !== undefined && a.mode !== b.mode) {
    kinds.push('mode');
    details.push(`${octal(a.mode)} → ${octal(b.mode)}`);
  }
  if (a.uid !== b.uid || a.gid !== b.gid) {
    kinds.push('owner');
    details.push(`${a.uid ?? '?'}:${a.gid ?? '?'} → ${b.uid ?? '?'}:${b.gid ?? '?'}`);
  }
  if (a.mtime !== b.mtime) {
    kinds.push('mtime');
    details.push(`mtime ${a.mtime ?? '?'} → ${b.mtime ?? '?'}`);
  }
  if (!sameXattrs(a, b)) kinds.push('xattr');
  if (kinds.length === 0) return undefined;
  return {
    path: a.path,
    kinds,
    size: sizes(a, b),
    ...(details.length === 0 ? {} : { detail: details.join(', ') }),
  };
}

function sizes(a: DiffEntry | undefined, b: DiffEntry | undefined): FileChange['size'] {
  return {
    ...(a?.size === undefined ? {} : { a: a.size }),
    ...(b?.size === undefined ? {} : { b: b.size }),
  };
}

/** Every path that was added, removed or changed between two listings, sorted by path. */
export function diffEntries(a: readonly DiffEntry[], b: readonly DiffEntry[]): FileChange[] {
  const left = new Map(a.map((entry) => [entry.path, entry]));
  const right = new Map(b.map((entry) => [entry.path, entry]));
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const before = left.get(path);
    const after = right.get(path);
    if (before === undefined && after !== undefined) {
      changes.push({ path, kinds: ['added'], size: sizes(undefined, after) });
    } else if (after === undefined && before !== undefined) {
      changes.push({ path, kinds: ['removed'], size: sizes(before, undefined) });
    } else if (before !== undefined && after !== undefined) {
      const change = changeOf(before, after);
      if (change !== undefined) changes.push(change);
    }
  }
  return changes;
}
