export { MAKE_EVERY_TIME } from './artifact-cache.ts';
export type { ArtifactCache, ArtifactInput } from './artifact-cache.ts';
export { builderFingerprint } from './builder-fingerprint.ts';
export { ENTRY_HEADER_BYTES, entryHeader, entryPayload } from './entry-file.ts';
export { trimStageCache } from './eviction.ts';
export type { TrimOutcome } from './eviction.ts';
export { artifactKey } from './input-key.ts';
export {
  DEFAULT_STAGE_CACHE_BYTES,
  StageCache,
  blocksDirOf,
  stageCacheDirOf,
} from './stage-cache.ts';
export type { ArtifactOutcome, StageCacheSettings } from './stage-cache.ts';
export { describeStageCache } from './cache-report.ts';
export type { StageCacheReport } from './cache-report.ts';
