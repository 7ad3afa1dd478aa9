export { CACHE_FORMAT_VERSION, decodeCacheFile, encodeCacheFile, keyDigest } from './cache-file.ts';
export type { DecodedCacheFile } from './cache-file.ts';
export {
  ABANDONED_AFTER_MS,
  createMetadataCache,
  metadataCacheDir,
  parseEveryTime,
} from './metadata-cache.ts';
export type { CachedParse, MetadataCache } from './metadata-cache.ts';
