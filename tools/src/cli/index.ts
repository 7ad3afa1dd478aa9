/** The builders' command line (`@levitate/tools/cli`). */
export { createVariantCli } from './variant-cli.ts';
export type { VariantCliOptions } from './variant-cli.ts';
export { runCli } from './run-cli.ts';
