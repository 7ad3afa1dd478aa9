import type { WrittenFolder } from '../core/folder-errors.ts';

/** The folders a build writes, as its messages name them and with how to choose another. */

export function outputFolder(dir: string): WrittenFolder {
  return { dir, role: 'output folder', elsewhere: 'pass another --out' };
}

export function cacheFolder(dir: string): WrittenFolder {
  return { dir, role: 'cache', elsewhere: 'pass another --cache' };
}

/** TMPDIR, or a build's work folder in it. */
export function temporaryFolder(dir: string): WrittenFolder {
  return {
    dir,
    role: 'temporary folder (TMPDIR)',
    elsewhere: 'set TMPDIR to a writable folder with room for the build',
  };
}
