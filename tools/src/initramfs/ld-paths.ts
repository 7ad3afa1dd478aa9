import { baseName, joinRootPath, normalizeRootPath, parentOf } from './root-view.ts';
import type { RootView } from './root-view.ts';

/** Where glibc (multiarch or not) and musl look when nothing else says where. */
export const DEFAULT_LIBRARY_DIRS: readonly string[] = [
  '/lib64',
  '/lib',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
];

const MAX_INCLUDE_DEPTH = 8;

/**
 * The library folders an image configures: its /etc/ld.so.conf with the files it includes
 * (glibc), then /etc/ld-musl-x86_64.path (musl), then the defaults. Duplicates are dropped.
 */
export async function librarySearchDirs(root: RootView): Promise<string[]> {
  const configured = [
    ...(await ldSoConfDirs(root, '/etc/ld.so.conf', 0)),
    ...splitDirs(await readText(root, '/etc/ld-musl-x86_64.path')),
  ];
  return [...new Set([...configured, ...DEFAULT_LIBRARY_DIRS].map(normalizeRootPath))];
}

async function ldSoConfDirs(root: RootView, file: string, depth: number): Promise<string[]> {
  const text = await readText(root, file);
  if (text === undefined || depth > MAX_INCLUDE_DEPTH) return [];
  const dirs: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = (rawLine.split('#')[0] ?? '').trim();
    if (line === '' || line.startsWith('hwcap ')) continue;
    if (line.startsWith('include ') || line.startsWith('include\t')) {
      for (const pattern of line.slice('include'.length).trim().split(/\s+/)) {
        for (const included of await expandGlob(root, joinRootPath(parentOf(file), pattern))) {
          dirs.push(...(await ldSoConfDirs(root, included, depth + 1)));
        }
      }
      continue;
    }
    dirs.push(...splitDirs(line));
  }
  return dirs;
}

/** `dir1:dir2`, `dir1 dir2` or `dir=TYPE` (an old libc5 form) → absolute folders. */
function splitDirs(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(/[\s:,]+/)
    .map((entry) => entry.replace(/=.*$/, ''))
    .filter((entry) => entry.startsWith('/'));
}

/** Expands `*`, `?` and `[...]` in the last component of an absolute path, sorted. */
async function expandGlob(root: RootView, pattern: string): Promise<string[]> {
  const name = baseName(pattern);
  if (!/[*?[]/.test(name)) return [pattern];
  const dir = parentOf(pattern);
  const matcher = new RegExp(`^${globToRegExp(name)}$`);
  return (await root.list(dir))
    .filter((entry) => matcher.test(entry))
    .map((entry) => joinRootPath(dir, entry));
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] ?? '';
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const close = glob.indexOf(']', index + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob.slice(index + 1, close).replace(/^!/, '^')}]`;
        index = close;
      }
    } else out += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

async function readText(root: RootView, path: string): Promise<string | undefined> {
  const bytes = await root.readFile(path);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
