import { messageOf, UserError } from '../core/errors.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';

/** Which metadata file of which repository is being read, for messages. */
export interface MetadataContext {
  /** The repository's name as the variant gives it. */
  readonly repository: string;
  /** The file's URL or path. */
  readonly file: string;
  /** What the file is: `primary metadata`, `repomd.xml`, `comps`. */
  readonly kind: string;
}

/** A problem found inside a file; the reader adds the repository, file and position. */
export class MetadataProblem extends Error {
  override name = 'MetadataProblem';
}

function prefix(context: MetadataContext): string {
  return `repository "${context.repository}", ${context.kind}`;
}

export function malformedMetadata(
  context: MetadataContext,
  message: string,
  options: { cause?: unknown; hint?: string; package?: string } = {},
): PackageFormatError {
  return new PackageFormatError({
    file: context.file,
    message: `${prefix(context)}: ${message}`,
    ...options,
  });
}

export function verifyError(
  context: MetadataContext,
  message: string,
  options: { cause?: unknown; hint?: string } = {},
): PackageVerifyError {
  return new PackageVerifyError({
    file: context.file,
    message: `${prefix(context)}: ${message}`,
    ...options,
  });
}

/**
 * A file repomd.xml lists that the repository does not have: an incomplete mirror, or one
 * caught in the middle of a sync. The bytes were never seen, so nothing is called damaged.
 */
export class MetadataMissingError extends UserError {
  override name = 'MetadataMissingError';
  /** The URL or path that was not found. */
  readonly file: string;

  constructor(context: MetadataContext, options: { cause?: unknown; hint?: string } = {}) {
    super(
      'metadata-missing',
      `${prefix(context)}: listed in repomd.xml but not found at ${context.file}`,
      {
        hint:
          options.hint ??
          'the mirror is incomplete or was caught mid-sync; try again later or use another mirror',
        cause: options.cause,
      },
    );
    this.file = context.file;
  }
}

/** Errors that already say what went wrong and where pass through; others are wrapped. */
export function asMetadataError(context: MetadataContext, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const message = messageOf(error);
  return malformedMetadata(context, message, { cause: error });
}
