/** Files appear under their final name complete or not at all. */

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of every temporary file the fetcher writes. */
export const PARTIAL_SUFFIX = '.part';

/** A fresh temporary name in `dir`, hidden, unique, ending in `.part`. */
export function temporaryName(dir: string, stem: string): string {
  return join(dir, `.${stem}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`);
}

/** A temporary name beside `path`, so that renaming it onto `path` is atomic. */
export function temporarySibling(path: string): string {
  return temporaryName(dirname(path), basename(path));
}

/** Writes `data` to a temporary sibling of `path` and renames it into place. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Renames a finished file onto `path`, creating its folder if needed. */
export async function moveIntoPlace(from: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rename(from, path);
}

/** The size of a file, or 0 when it does not exist. */
export async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (isMissing(err)) {
      return 0;
    }
    throw err;
  }
}

/** True for the errors a missing file or folder raises. */
export function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
