import { lstat, mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RecipeError } from './recipe-errors.ts';

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * A path a recipe names, relative to the build folder or absolute inside it, after following
 * every symbolic link: the build user makes what is in the folder, so a link may point at
 * anything on the system. Throws unless the real path stays inside the folder.
 */
export async function pathInside(
  folder: string,
  given: string,
  fail: (message: string) => RecipeError,
): Promise<string> {
  const wanted = resolve(folder, given);
  if (!inside(folder, wanted)) throw fail(`${given} is outside the build folder ${folder}`);
  const real = await realpath(wanted).catch(() => undefined);
  if (real === undefined) return wanted;
  const realFolder = await realpath(folder);
  if (!inside(realFolder, real)) {
    throw fail(`${given} leads outside the build folder (to ${real})`);
  }
  return real;
}

/**
 * A regular file inside the build folder, for the install helpers to copy. A file with other
 * names elsewhere (a hard link) must be the build user's own: a hard link to a file the build
 * user may not read would otherwise be copied out by root.
 */
export async function regularFileInside(
  folder: string,
  given: string,
  buildUser: number,
  fail: (message: string) => RecipeError,
): Promise<string> {
  const path = await pathInside(folder, given, fail);
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) throw fail(`${given} does not exist in the build folder`);
  if (!info.isFile()) throw fail(`${given} is not a regular file`);
  if (info.nlink > 1 && info.uid !== buildUser) {
    throw fail(`${given} is a hard link to a file the build did not make`);
  }
  return path;
}

/**
 * Makes the folders of `relativeDir` under `root` one at a time, refusing any that exists as
 * something other than a folder: the build user owns `root` and may have put a symbolic link
 * where a folder is expected, to make root write elsewhere.
 */
export async function foldersInside(
  root: string,
  relativeDir: string,
  fail: (message: string) => RecipeError,
): Promise<string> {
  let at = root;
  for (const part of relativeDir.split('/').filter((name) => name !== '')) {
    at = resolve(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (info === undefined) await mkdir(at);
    else if (!info.isDirectory() || info.isSymbolicLink()) {
      throw fail(`${relative(root, at)} in $OUT is not a folder`);
    }
  }
  return at;
}
