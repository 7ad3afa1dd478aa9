import { PackageFormatError } from '../packages/errors.ts';

/**
 * What every error about one RPM names: the file, and the package (NEVRA) once the main header
 * has been read far enough to know it.
 */
export interface RpmContext {
  readonly file: string;
  package: string | undefined;
}

export function newContext(file: string): RpmContext {
  return { file, package: undefined };
}

/** A PackageFormatError naming the file and, when known, the package. */
export function malformedRpm(
  context: RpmContext,
  message: string,
  cause?: unknown,
): PackageFormatError {
  return new PackageFormatError({
    ...(context.package === undefined ? {} : { package: context.package }),
    file: context.file,
    message,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The problem fields shared by every error class, for the other two families. */
export function problemOf(
  context: RpmContext,
  message: string,
  cause?: unknown,
): { package?: string; file: string; message: string; cause?: unknown } {
  return {
    ...(context.package === undefined ? {} : { package: context.package }),
    file: context.file,
    message,
    ...(cause === undefined ? {} : { cause }),
  };
}
