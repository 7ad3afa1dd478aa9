export { PackageFormatError, PackageVerifyError, UnsafeEntryError } from './errors.ts';
export type { PackageProblem } from './errors.ts';
export type * from './model.ts';
