export { PackageFormatError, PackageVerifyError, UnsafeEntryError } from './errors.ts';
export type { PackageProblem } from './errors.ts';
export type * from './model.ts';
export {
  CONTENT_CHUNK_BYTES,
  ContentStream,
  contentBytes,
  contentChunks,
  settleContent,
  wholeEntries,
} from './content.ts';
export type { ContentCheck, WholeEntry } from './content.ts';
