import { readFile } from 'node:fs/promises';
import { LockFileError, encodeLock, parseLock } from '@levitate/distro-spec/lock';
import type { PackageLock } from '@levitate/distro-spec/lock';
import { isMissing, writeFileAtomic } from '../core/atomic-file.ts';
import { UserError, messageOf } from '../core/errors.ts';

/** The lock in `file`; a missing or malformed one is a user error that says what to do. */
export async function readLockFile(file: string): Promise<PackageLock> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = isMissing(error);
    throw new UserError(
      missing ? 'lock-missing' : 'lock-unreadable',
      missing
        ? `there is no lock file ${file}`
        : `cannot read the lock file ${file}: ${messageOf(error)}`,
      {
        hint: 'write it with the lock command first, or name another with --lock-file',
        cause: error,
      },
    );
  }
  try {
    return parseLock(file, text);
  } catch (error) {
    if (!(error instanceof LockFileError)) throw error;
    throw new UserError(error.code, error.message, { hint: error.hint, cause: error });
  }
}

/** The lock in `file` when there is one that reads; otherwise why not, for a warning. */
export async function readLockIfThere(
  file: string,
): Promise<{ lock?: PackageLock; problem?: string }> {
  try {
    return { lock: await readLockFile(file) };
  } catch (error) {
    if (error instanceof UserError && error.code === 'lock-missing') return {};
    if (error instanceof UserError) return { problem: error.message };
    throw error;
  }
}

/** Writes the lock to a temporary name and renames it over `file`. */
export async function writeLockFile(file: string, lock: PackageLock, command: string) {
  await writeFileAtomic(file, encodeLock(lock, command));
}
