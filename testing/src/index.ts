export { BUILDER_BINS, WORKSPACE_ROOT, fixturesDir } from './workspace.ts';
export type { BuilderName } from './workspace.ts';
