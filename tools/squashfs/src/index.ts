export { readSquashfsLayout, readSquashfsTree } from './reader.ts';
export { SquashfsWriter } from './writer.ts';
export type {
  BlockCacheStats,
  FileContent,
  NodeMeta,
  SquashfsEntry,
  SquashfsFileLayout,
  SquashfsLayout,
  SquashfsCompressor,
  SquashfsOptions,
  SquashfsSummary,
  StoredFile,
} from './types.ts';
