export { readLockFile, readLockIfThere, writeLockFile } from './lock-file.ts';
export {
  assertLockApplies,
  assertLockedFiles,
  lockDifferences,
  lockOf,
  resolutionFromLock,
} from './locked-set.ts';
export type { LockSubject } from './locked-set.ts';
