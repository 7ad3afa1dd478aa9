export { readSquashfsTree } from './reader.ts';
export { SquashfsWriter } from './writer.ts';
export type {
  BlockCacheStats,
  FileContent,
  NodeMeta,
  SquashfsEntry,
  SquashfsCompressor,
  SquashfsOptions,
  SquashfsSummary,
} from './types.ts';
