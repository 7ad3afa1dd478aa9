/** The shapes the ISO 9660 reader hands out. */

/** Which names the image is read with: the richest set it carries. */
export type IsoNaming = 'rock-ridge' | 'joliet' | 'iso9660';

export type IsoEntryType = 'file' | 'directory' | 'symlink';

/** A run of bytes of the image that holds (part of) a file or directory. */
export interface IsoExtent {
  /** Byte offset in the image. */
  readonly position: number;
  readonly length: number;
}

export interface IsoEntry {
  /** The name as the image's chosen naming gives it (without `;1` for plain ISO 9660 names). */
  readonly name: string;
  readonly type: IsoEntryType;
  /** Bytes of content: the sum of the extents (0 for a symlink). */
  readonly size: number;
  /** In order; more than one for a multi-extent file. */
  readonly extents: readonly IsoExtent[];
  /** Rock Ridge permission and type bits (`PX`), when the image has them. */
  readonly mode?: number;
  /** Where a Rock Ridge symlink points, as written in the image. */
  readonly target?: string;
}

export interface IsoReadStreamOptions {
  /** Largest chunk read at once, in bytes. Default 64 KiB. */
  readonly chunkSize?: number;
}
