export { BUILDERS, BUILDER_BINS, builderOf, nxBuildTarget } from './workspace.ts';
export type { Builder, BuilderName } from './workspace.ts';
export * from './apk-fixture/index.ts';
export * from './rpm-fixture/index.ts';
