/**
 * Reading ISO 9660 images in place, without mounting or extracting them: Rock Ridge names and
 * symlinks (with SUSP continuation areas and relocated deep directories), Joliet names, plain
 * ISO 9660 names, and multi-extent files as large install DVDs hold them.
 */

export { openIsoImage } from './image.ts';
export type { IsoImage } from './image.ts';
export { IsoFormatError, IsoPathError } from './errors.ts';
export type { IsoFormatCode } from './errors.ts';
export type {
  IsoEntry,
  IsoEntryType,
  IsoExtent,
  IsoNaming,
  IsoReadStreamOptions,
} from './types.ts';
