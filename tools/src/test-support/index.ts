/** Helpers for the test suites of every project (`@levitate/tools/test-support`). */
export {
  asRoot,
  builtOutput,
  hostProgram,
  hostTool,
  missingReferenceError,
  reference,
  referenceMode,
  referencesRequired,
} from './reference.ts';
export type {
  MissingReference,
  Reference,
  ReferenceCondition,
  ReferenceMode,
} from './reference.ts';
export { describeWithReference, itWithReference } from './reference-suite.ts';
export {
  alpineChrootReference,
  createAlpineChroot,
  hostRunner,
  useAlpineChroot,
} from './alpine-chroot.ts';
export type { AlpineChroot } from './alpine-chroot.ts';
export { spdxSchemaProblems } from './spdx-schema.ts';
