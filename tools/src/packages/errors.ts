import { UserError } from '../core/errors.ts';

export interface PackageProblem {
  /** The package as the user knows it (`bash-5.2.26-3.el9.x86_64`), when known. */
  readonly package?: string;
  /** The file or URL the problem was found in. */
  readonly file: string;
  readonly message: string;
  readonly hint?: string;
  readonly cause?: unknown;
}

function describe(problem: PackageProblem): string {
  return problem.package === undefined
    ? `${problem.file}: ${problem.message}`
    : `${problem.package} (${problem.file}): ${problem.message}`;
}

/** A package, index or metadata file that is malformed, truncated, hostile or of an unsupported kind. */
export class PackageFormatError extends UserError {
  readonly package: string | undefined;
  readonly file: string;
  constructor(problem: PackageProblem) {
    super('package-malformed', describe(problem), {
      hint: problem.hint ?? 'the file is damaged or not what it claims to be; fetch it again from its repository',
      cause: problem.cause,
    });
    this.name = 'PackageFormatError';
    this.package = problem.package;
    this.file = problem.file;
  }
}

/** A signature or digest that does not verify: the bytes are not what the repository signed. */
export class PackageVerifyError extends UserError {
  readonly package: string | undefined;
  readonly file: string;
  constructor(problem: PackageProblem) {
    super('package-unverified', describe(problem), {
      hint:
        problem.hint ??
        'do not use this file; fetch it again, and check that the variant trusts the right keys',
      cause: problem.cause,
    });
    this.name = 'PackageVerifyError';
    this.package = problem.package;
    this.file = problem.file;
  }
}

/** A path in a package that would escape the image or clash with another entry. */
export class UnsafeEntryError extends UserError {
  readonly package: string | undefined;
  readonly file: string;
  constructor(problem: PackageProblem) {
    super('package-unsafe-entry', describe(problem), {
      hint: problem.hint ?? 'the package is refused; report it to its maintainers',
      cause: problem.cause,
    });
    this.name = 'UnsafeEntryError';
    this.package = problem.package;
    this.file = problem.file;
  }
}
