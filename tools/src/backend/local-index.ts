/**
 * A repository on this machine (a folder, or a `file://` URL that is not a tree inside an ISO
 * image) must hold its index where the format expects it. When it does not, the usual cause is
 * a folder one or two levels off (`.../BaseOS` for `.../BaseOS/x86_64/os`, or `.../x86_64` for
 * an APK repository, whose URL leaves the architecture out): say where the index was looked
 * for, and name a folder nearby that holds one.
 */

import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.ts';

export interface IndexLayout {
  /** `RPM` or `APK`, for messages. */
  readonly format: string;
  /** The index relative to the repository's folder: `repodata/repomd.xml`, `x86_64/APKINDEX.tar.gz`. */
  readonly indexPath: string;
  /** What a repository folder holds, for the hint: `repodata/`, `x86_64/APKINDEX.tar.gz`. */
  readonly holds: string;
}

/** How far from the given folder an index is looked for, up and down. */
const LEVELS = 3;
/** Folders read at most while looking down, so that a huge tree is not walked. */
const MAX_FOLDERS = 400;

/** The folder of a local repository URL; undefined for remote URLs and ISO trees. */
export function localRepositoryFolder(url: string): string | undefined {
  if (!url.startsWith('file://') || url.includes('#')) return undefined;
  try {
    return fileURLToPath(url).replace(/(.)\/+$/, '$1');
  } catch {
    return undefined;
  }
}

/** Throws a UserError when a local repository's index is missing, naming nearby folders that hold one. */
export async function assertLocalIndex(url: string, layout: IndexLayout): Promise<void> {
  const root = localRepositoryFolder(url);
  if (root === undefined) return;
  const index = join(root, layout.indexPath);
  if (existsSync(index)) return;
  const info = await stat(root).catch(() => undefined);
  const where =
    info === undefined
      ? 'the folder does not exist'
      : `its index is missing, there is no ${layout.indexPath} in it (${index})`;
  const nearby = info?.isDirectory() === true ? await foldersHolding(root, layout) : [];
  const archOnly = layout.format === 'APK' && existsSync(join(root, basename(layout.indexPath)));
  let hint: string;
  if (nearby.length > 0) {
    const above = nearby.filter((folder) => root.startsWith(`${folder}/`));
    const why =
      layout.format === 'APK' && above.length > 0
        ? ' (an APK repository URL leaves out the architecture: apk adds it, then APKINDEX.tar.gz)'
        : '';
    const choices = nearby.map((folder) => `--repo ${folder}`);
    hint =
      choices.length === 1
        ? `use ${choices[0] ?? ''}, which holds ${layout.indexPath}${why}`
        : `use one of ${choices.join(', ')}: each holds ${layout.indexPath}${why}`;
  } else if (archOnly) {
    hint = `${root} holds ${basename(layout.indexPath)} itself: give the folder that holds ${layout.holds}, as an APK repository URL leaves out the architecture`;
  } else {
    hint = `give the folder that holds ${layout.holds}`;
  }
  throw new UserError('repo-index-missing', `no ${layout.format} repository at ${root}: ${where}`, {
    hint,
  });
}

/** Folders above (nearest first) and below (shallowest first) `root` that hold the index. */
async function foldersHolding(root: string, layout: IndexLayout): Promise<string[]> {
  const found: string[] = [];
  let folder = root;
  for (let level = 0; level < LEVELS; level += 1) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
    if (existsSync(join(folder, layout.indexPath))) {
      found.push(folder);
      break;
    }
  }
  let frontier = [root];
  let read = 0;
  for (let level = 0; level < LEVELS && found.length < 3; level += 1) {
    const next: string[] = [];
    for (const dir of frontier) {
      if (read >= MAX_FOLDERS) break;
      read += 1;
      for (const name of await subfolders(dir)) {
        const child = join(dir, name);
        if (existsSync(join(child, layout.indexPath))) found.push(child);
        else next.push(child);
      }
    }
    frontier = next;
  }
  return found.slice(0, 3);
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter(
        (entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()),
      )
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
