import { lstat, realpath } from 'node:fs/promises';
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

/** A regular file inside the build folder, for the install helpers to copy. */
export async function regularFileInside(
  folder: string,
  given: string,
  fail: (message: string) => RecipeError,
): Promise<string> {
  const path = await pathInside(folder, given, fail);
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) throw fail(`${given} does not exist in the build folder`);
  if (!info.isFile()) throw fail(`${given} is not a regular file`);
  return path;
}
