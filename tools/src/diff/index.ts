export { diffBuilds } from './build-diff.ts';
export type { ArtifactDiff, BuildDiff } from './build-diff.ts';
export { describeBuildDiff } from './describe.ts';
export { diffEntries } from './entries.ts';
export type { ChangeKind, DiffEntry, FileChange } from './entries.ts';
export { readCpioEntries } from './cpio-reader.ts';
