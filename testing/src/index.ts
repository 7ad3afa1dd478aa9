export { BUILDER_BINS } from './workspace.ts';
export type { BuilderName } from './workspace.ts';
export * from './qemu/index.ts';
export * from './apk-fixture/index.ts';
export * from './rpm-fixture/index.ts';
