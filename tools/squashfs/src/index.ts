export { SquashfsWriter } from './writer.ts';
export type {
  FileContent,
  NodeMeta,
  SquashfsCompressor,
  SquashfsOptions,
  SquashfsSummary,
} from './types.ts';
