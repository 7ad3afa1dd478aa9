import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { walkRootPath } from './root-view.ts';
import type { PathLookup, RootEntryType, RootView } from './root-view.ts';

/**
 * A {@link RootView} over a folder of the host. Links are resolved by this code inside the
 * folder, never by the host's kernel, so an absolute link such as `/lib -> usr/lib` or
 * `libc.so.6 -> /lib/x86_64-linux-gnu/libc.so.6` stays inside it.
 */
export function hostDirectoryRoot(dir: string): RootView {
  const onHost = (path: string) => join(dir, path);
  const lstatOrUndefined = async (path: string): Promise<Stats | undefined> => {
    try {
      return await lstat(onHost(path));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  const lookup: PathLookup = {
    type: async (path) => {
      const stats = await lstatOrUndefined(path);
      return stats === undefined ? undefined : entryType(stats);
    },
    link: async (path) => {
      const stats = await lstatOrUndefined(path);
      return stats?.isSymbolicLink() ? readlink(onHost(path), 'utf8') : undefined;
    },
  };
  const followed = async (path: string) => {
    const resolved = await walkRootPath(lookup, path, true);
    if (resolved === undefined) return undefined;
    const stats = await lstatOrUndefined(resolved);
    return stats === undefined ? undefined : { path: resolved, stats };
  };
  return {
    async readFile(path) {
      const found = await followed(path);
      if (!found?.stats.isFile()) return undefined;
      return new Uint8Array(await readFile(onHost(found.path)));
    },
    async readlink(path) {
      const resolved = await walkRootPath(lookup, path, false);
      return resolved === undefined ? undefined : lookup.link(resolved);
    },
    async stat(path) {
      const resolved = await walkRootPath(lookup, path, false);
      if (resolved === undefined) return undefined;
      const stats = await lstatOrUndefined(resolved);
      return stats === undefined
        ? undefined
        : { type: entryType(stats), mode: stats.mode & 0o7777 };
    },
    async list(path) {
      const found = await followed(path);
      if (!found?.stats.isDirectory()) return [];
      return (await readdir(onHost(found.path))).sort();
    },
  };
}

function entryType(stats: Stats): RootEntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  if (stats.isCharacterDevice()) return 'char-device';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isFIFO()) return 'fifo';
  return 'socket';
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
