/** The errors of the ISO 9660 reader; each names the image file it concerns. */

import { UserError } from '../core/errors.ts';

export type IsoFormatCode = 'iso-not-iso9660' | 'iso-corrupt';

/** The image is not ISO 9660, or one of its structures is damaged. */
export class IsoFormatError extends UserError {
  override name = 'IsoFormatError';
  readonly image: string;

  constructor(code: IsoFormatCode, image: string, message: string, options?: { cause?: unknown }) {
    super(code, `${image}: ${message}`, {
      hint:
        code === 'iso-not-iso9660'
          ? 'give the path of an ISO 9660 image (an install DVD such as Rocky-10.0-x86_64-dvd1.iso)'
          : 'the image is damaged or truncated; download it again and check its checksum',
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.image = image;
  }
}

/**
 * A path that is not in the image or not of the kind asked for. The codes are the ones Node
 * gives the same situations on a real file system, so that callers which tell a missing file
 * apart (`ENOENT`) need not know where the file was looked for.
 */
export class IsoPathError extends Error {
  override name = 'IsoPathError';
  readonly code: 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EINVAL';
  readonly image: string;
  readonly path: string;

  constructor(code: IsoPathError['code'], image: string, path: string, message: string) {
    super(`${image}: ${path === '' ? '/' : path}: ${message}`);
    this.code = code;
    this.image = image;
    this.path = path;
  }
}
