import { UserError } from './errors.ts';

/** A folder the build writes to, as the user knows it, and how they choose another. */
export interface WrittenFolder {
  readonly dir: string;
  /** What the folder is, e.g. `output folder` or `work folder (under TMPDIR)`. */
  readonly role: string;
  /** How to use another folder instead, e.g. `pass another --out`. */
  readonly elsewhere: string;
}

type FolderProblem = 'read-only' | 'not-writable' | 'not-a-folder' | 'full';

const PROBLEMS: Readonly<Record<string, FolderProblem>> = {
  EROFS: 'read-only',
  EACCES: 'not-writable',
  EPERM: 'not-writable',
  ENOTDIR: 'not-a-folder',
  EEXIST: 'not-a-folder',
  ENOSPC: 'full',
  EDQUOT: 'full',
};

interface ErrnoDetails {
  readonly code: string;
  readonly paths: readonly string[];
}

function errnoDetails(value: unknown): ErrnoDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, syscall, path, dest } = value as Record<string, unknown>;
  if (typeof code !== 'string' || !(code in PROBLEMS)) return undefined;
  // Only a folder that cannot be made because a file has its name; elsewhere EEXIST is a race.
  if (code === 'EEXIST' && syscall !== 'mkdir') return undefined;
  const paths = [path, dest].filter((item): item is string => typeof item === 'string');
  return { code, paths };
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** The first error in the `cause` chain that is a file-system errno this module explains. */
function findErrno(err: unknown): ErrnoDetails | undefined {
  const seen = new Set<unknown>();
  for (let current = err; current !== undefined && !seen.has(current);) {
    seen.add(current);
    const details = errnoDetails(current);
    if (details !== undefined) return details;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

function explain(problem: FolderProblem, folder: WrittenFolder, path: string): [string, string] {
  const { role, dir, elsewhere } = folder;
  const where = path === dir ? '' : ` (writing ${path})`;
  switch (problem) {
    case 'read-only':
      return [`the ${role} ${dir} is on a read-only file system${where}`, elsewhere];
    case 'not-writable':
      return [
        `no permission to write in the ${role} ${dir}${where}`,
        `give yourself write access to ${dir}, or ${elsewhere}`,
      ];
    case 'not-a-folder':
      return [
        `the ${role} ${dir} cannot be used as a folder: ${path} or one of its parents is a file`,
        `move that file away, or ${elsewhere}`,
      ];
    case 'full':
      return [
        `no space left on the file system of the ${role} ${dir}${where}`,
        `free some space there (df -h ${dir}), or ${elsewhere}`,
      ];
  }
}

/**
 * The UserError for a file-system error (read-only, no permission, a file in the way, no
 * space) on one of the folders a build writes, anywhere in `err`'s cause chain; undefined when
 * `err` is something else.
 */
export function folderError(
  err: unknown,
  folders: readonly WrittenFolder[],
): UserError | undefined {
  if (err instanceof UserError) return undefined;
  const errno = findErrno(err);
  if (errno === undefined) return undefined;
  for (const path of errno.paths) {
    const folder = folders.find((candidate) => isInside(path, candidate.dir));
    if (folder === undefined) continue;
    const problem = PROBLEMS[errno.code] ?? 'not-writable';
    const [message, hint] = explain(problem, folder, path);
    return new UserError(`folder-${problem}`, message, { hint, cause: err });
  }
  return undefined;
}

/** Runs `fn`; a file-system error on one of `folders` becomes a UserError naming it. */
export async function explainingFolderErrors<T>(
  folders: readonly WrittenFolder[],
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw folderError(err, folders) ?? err;
  }
}
