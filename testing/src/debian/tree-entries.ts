import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parentDirectories, rootOwned } from './entries.ts';
import type { TreeEntry } from './entries.ts';

/** Decides, by absolute path inside the image, which files of a tree a package takes. */
export type PathFilter = (path: string) => boolean;

/** Documentation and shell integrations Alpine and Rocky split into their own packages. */
const DOCUMENTATION = [
  '/usr/share/man',
  '/usr/share/info',
  '/usr/share/lintian',
  '/usr/share/bug',
  '/usr/share/bash-completion',
  '/usr/share/zsh',
  '/usr/share/fish',
];

/** systemd units, SysV init scripts and `/etc/default`: Debian's service glue, which OpenRC lacks. */
const DEBIAN_SERVICE_GLUE = [
  '/lib/systemd',
  '/usr/lib/systemd',
  '/etc/init.d',
  '/etc/default',
  '/etc/cron.d',
  '/usr/lib/pm-utils',
];

export function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Keeps the license (`/usr/share/doc/<pkg>/copyright`) and drops the rest of the docs. */
export const withoutDocumentation: PathFilter = (path) => {
  if (under(path, '/usr/share/doc')) {
    return /^\/usr\/share\/doc\/[^/]+\/copyright$/.test(path);
  }
  return !DOCUMENTATION.some((prefix) => under(path, prefix));
};

export const withoutServiceGlue: PathFilter = (path) =>
  !DEBIAN_SERVICE_GLUE.some((prefix) => under(path, prefix));

export function allOf(...filters: PathFilter[]): PathFilter {
  return (path) => filters.every((filter) => filter(path));
}

async function walk(root: string, relative: string, into: TreeEntry[]): Promise<void> {
  const names = (await readdir(join(root, relative))).sort();
  for (const name of names) {
    const inside = `${relative}/${name}`;
    const host = join(root, inside);
    const stat = await lstat(host);
    const mode = stat.mode & 0o7777;
    if (stat.isDirectory()) {
      into.push(rootOwned({ type: 'directory', path: inside, mode }));
      await walk(root, inside, into);
    } else if (stat.isSymbolicLink()) {
      into.push(rootOwned({ type: 'symlink', path: inside, mode, target: await readlink(host) }));
    } else if (stat.isFile()) {
      into.push(rootOwned({ type: 'file', path: inside, mode, content: { hostPath: host } }));
    } else {
      throw new Error(`${host}: only directories, symlinks and regular files are packaged`);
    }
  }
}

/**
 * Root-owned entries for the files of `root` that `keep` accepts, with the directories that lead
 * to them; a directory is kept on its own only when `keep` accepts it.
 */
export async function treeEntries(root: string, keep: PathFilter): Promise<TreeEntry[]> {
  const all: TreeEntry[] = [];
  await walk(root, '', all);
  const kept = all.filter((entry) => keep(entry.path));
  const listed = new Set(kept.map((entry) => entry.path));
  const byPath = new Map(all.map((entry) => [entry.path, entry]));
  const parents = parentDirectories(kept).map((dir) => byPath.get(dir.path) ?? dir);
  return [...kept, ...parents.filter((dir) => !listed.has(dir.path))];
}
