export { SquashfsWriter } from './writer.ts';
export type {
  BlockCacheStats,
  FileContent,
  NodeMeta,
  SquashfsCompressor,
  SquashfsOptions,
  SquashfsSummary,
} from './types.ts';
