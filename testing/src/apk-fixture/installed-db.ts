/**
 * Reading apk's installed database (`/lib/apk/db/installed`): per package its metadata and the
 * directories (`F:`, `M:`) and files (`R:`, `a:`, `Z:`) it owns.
 */

export interface InstalledOwner {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

export interface InstalledDirectory {
  /** Relative to the root: `usr/share/apk/keys`. */
  readonly path: string;
  readonly owner?: InstalledOwner;
}

export interface InstalledFile {
  readonly path: string;
  readonly owner?: InstalledOwner;
  /** `Q1` + base64 SHA-1 of the content (of the target, for a symlink). */
  readonly checksum?: string;
}

export interface InstalledPackage {
  /** Single-letter fields (`P`, `V`, `D`, ...) other than the file list. */
  readonly fields: ReadonlyMap<string, string>;
  readonly directories: readonly InstalledDirectory[];
  readonly files: readonly InstalledFile[];
}

function parseOwner(value: string, where: string): InstalledOwner {
  const match = /^(\d+):(\d+):([0-7]+)$/.exec(value);
  if (match === null) {
    throw new Error(`${where}: malformed owner ${JSON.stringify(value)}`);
  }
  return { uid: Number(match[1]), gid: Number(match[2]), mode: parseInt(match[3] ?? '', 8) };
}

interface Draft {
  fields: Map<string, string>;
  directories: { path: string; owner?: InstalledOwner }[];
  files: { path: string; owner?: InstalledOwner; checksum?: string }[];
}

export function parseInstalledDb(text: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  let draft: Draft | undefined;
  let lastKey = '';
  text.split('\n').forEach((line, index) => {
    const where = `installed:${index + 1}`;
    if (line === '') {
      if (draft !== undefined) packages.push(draft);
      draft = undefined;
      return;
    }
    if (line[1] !== ':') {
      throw new Error(`${where}: not a field line: ${JSON.stringify(line)}`);
    }
    const key = line[0] ?? '';
    const value = line.slice(2);
    draft ??= { fields: new Map(), directories: [], files: [] };
    const dir = draft.directories.at(-1);
    const file = draft.files.at(-1);
    switch (key) {
      case 'F':
        draft.directories.push({ path: value });
        break;
      case 'M':
        if (dir === undefined || lastKey !== 'F') throw new Error(`${where}: M: without F:`);
        dir.owner = parseOwner(value, where);
        break;
      case 'R':
        if (dir === undefined) throw new Error(`${where}: R: before any F:`);
        draft.files.push({ path: `${dir.path}/${value}` });
        break;
      case 'a':
        if (file === undefined || lastKey !== 'R') throw new Error(`${where}: a: without R:`);
        file.owner = parseOwner(value, where);
        break;
      case 'Z':
        if (file === undefined) throw new Error(`${where}: Z: without R:`);
        file.checksum = value;
        break;
      default:
        draft.fields.set(key, value);
    }
    lastKey = key;
  });
  if (draft !== undefined) packages.push(draft);
  return packages;
}

/** A required field of a record. */
export function field(pkg: InstalledPackage, key: string): string {
  const value = pkg.fields.get(key);
  if (value === undefined) {
    throw new Error(`installed package ${pkg.fields.get('P') ?? '?'} has no ${key}: field`);
  }
  return value;
}

/** A space-separated list field (`D:`, `p:`, `r:`, `i:`), empty when absent. */
export function listField(pkg: InstalledPackage, key: string): string[] {
  return (pkg.fields.get(key) ?? '').split(' ').filter((item) => item !== '');
}
