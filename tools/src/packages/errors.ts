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

/** A problem with one package or metadata file, naming both in its message. */
abstract class PackageProblemError extends UserError {
  readonly package: string | undefined;
  readonly file: string;

  protected constructor(code: string, defaultHint: string, problem: PackageProblem) {
    const where =
      problem.package === undefined ? problem.file : `${problem.package} (${problem.file})`;
    super(code, `${where}: ${problem.message}`, {
      hint: problem.hint ?? defaultHint,
      cause: problem.cause,
    });
    this.package = problem.package;
    this.file = problem.file;
  }
}

/** A package, index or metadata file that is malformed, truncated, hostile or of an unsupported kind. */
export class PackageFormatError extends PackageProblemError {
  override name = 'PackageFormatError';
  constructor(problem: PackageProblem) {
    super(
      'package-malformed',
      'the file is damaged or not what it claims to be; fetch it again from its repository',
      problem,
    );
  }
}

/** A signature or digest that does not verify: the bytes are not what the repository signed. */
export class PackageVerifyError extends PackageProblemError {
  override name = 'PackageVerifyError';
  constructor(problem: PackageProblem) {
    super(
      'package-unverified',
      'do not use this file; fetch it again, and check that the variant trusts the right keys',
      problem,
    );
  }
}

/** A path in a package that would escape the image or clash with another entry. */
export class UnsafeEntryError extends PackageProblemError {
  override name = 'UnsafeEntryError';
  constructor(problem: PackageProblem) {
    super('package-unsafe-entry', 'the package is refused; report it to its maintainers', problem);
  }
}
