import type { ImageTree } from '../image-tree.ts';
import { normalisePath, parentPath } from '../paths.ts';
import { globToRegExp } from './presets.ts';
import type { FolderIndex } from './tree-folders.ts';
import { readText } from './tree-folders.ts';

/** The folders glibc's ld.so trusts, after those of ld.so.conf; each is used when present. */
export const TRUSTED_DIRS = [
  '/lib64',
  '/usr/lib64',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
];

export interface LibraryDir {
  /** The folder as named (what cache entries say). */
  readonly path: string;
  /** Where it really is in the image, symlinks resolved. */
  readonly real: string;
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * The folders of ld.so.conf, as ldconfig reads it: `#` starts a comment, `include GLOB…`
 * reads the matching files (relative to the including file's folder, sorted), `hwcap` lines
 * are ignored, any other line is one folder (trailing slashes dropped).
 */
async function confDirs(
  tree: ImageTree,
  index: FolderIndex,
  file: string,
  notes: string[],
  depth = 0,
): Promise<string[]> {
  const text = await readText(tree, file);
  if (text === undefined) return [];
  const dirs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = (raw.split('#')[0] ?? '').trim();
    if (line === '') continue;
    const include = /^include\s+(.*)$/.exec(line);
    if (include !== null) {
      if (depth >= MAX_INCLUDE_DEPTH) {
        notes.push(`${file}: includes nested too deep; ignored`);
        continue;
      }
      for (const pattern of (include[1] as string).split(/[ \t]+/).filter(Boolean)) {
        const absolute = pattern.startsWith('/') ? pattern : `${parentPath(file)}/${pattern}`;
        for (const match of glob(index, absolute, notes)) {
          dirs.push(...(await confDirs(tree, index, match, notes, depth + 1)));
        }
      }
    } else if (/^hwcap\s/i.test(line)) {
      notes.push(`${file}: hwcap line ignored, as ldconfig does`);
    } else {
      dirs.push(line.replace(/\/+$/, '') || '/');
    }
  }
  return dirs;
}

/** The files matching a glob whose wildcards are in its last name only. */
function glob(index: FolderIndex, pattern: string, notes: string[]): string[] {
  const normal = normalisePath(pattern);
  if (normal === undefined) return [];
  const dir = parentPath(normal);
  const last = normal.slice(dir === '/' ? 1 : dir.length + 1);
  if (/[*?[]/.test(dir)) {
    notes.push(`include ${pattern}: wildcards in folder names are not supported; ignored`);
    return [];
  }
  const regex = globToRegExp(last);
  const names = index.list(dir)?.names ?? [];
  const prefix = dir === '/' ? '' : dir;
  return names
    .filter((name) => regex.test(name) && !name.startsWith('.'))
    .map((name) => `${prefix}/${name}`);
}

/**
 * The folders ldconfig scans, in its order: those of /etc/ld.so.conf, then the trusted ones;
 * a folder reached again under another name (/lib64 → usr/lib64) counts once, by the first name.
 */
export async function libraryDirs(
  tree: ImageTree,
  index: FolderIndex,
  notes: string[],
): Promise<LibraryDir[]> {
  const named = [...(await confDirs(tree, index, '/etc/ld.so.conf', notes)), ...TRUSTED_DIRS];
  const seen = new Set<string>();
  const dirs: LibraryDir[] = [];
  for (const name of named) {
    const path = normalisePath(name);
    const listed = path === undefined ? undefined : index.list(path);
    if (path === undefined || listed === undefined || seen.has(listed.path)) continue;
    seen.add(listed.path);
    dirs.push({ path, real: listed.path });
  }
  return dirs;
}
