/**
 * Image paths: absolute, `/`-separated, without empty, `.` or `..` components and without a
 * trailing slash. The root is `/`.
 */

/** The names of an image path; `/` gives none. */
export function splitPath(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

export function joinPath(names: readonly string[]): string {
  return `/${names.join('/')}`;
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Normalises a path given by a variant or a caller (`/etc//motd/` → `/etc/motd`). Returns
 * undefined for relative paths and paths with `..` components.
 */
export function normalisePath(path: string): string | undefined {
  if (!path.startsWith('/') || path.includes('\0')) return undefined;
  const names: string[] = [];
  for (const name of path.split('/')) {
    if (name === '..') return undefined;
    if (name !== '' && name !== '.') names.push(name);
  }
  return joinPath(names);
}

/** True when `path` is `ancestor` or lies below it. */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}

function sortKey(path: string): Buffer {
  const key = Buffer.from(path, 'utf8');
  for (let index = 0; index < key.length; index += 1) {
    if (key[index] === 0x2f) key[index] = 0;
  }
  return key;
}

/**
 * Sorts paths depth first, names compared by their UTF-8 bytes: a directory comes right before
 * its own entries (`/a`, `/a/b`, `/a-b`), as in a squashfs directory table.
 */
export function sortPaths(paths: Iterable<string>): string[] {
  return [...paths]
    .map((path) => ({ path, key: sortKey(path) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ path }) => path);
}
