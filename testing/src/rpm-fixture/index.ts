export {
  DEFAULT_CACHE_DIR as RPM_FIXTURE_CACHE_DIR,
  RPM_FIXTURE_EPOCH,
  RPM_REPOSITORIES,
  RPM_REPO_DIR,
  buildRpmFixtureRepository,
  repositoryDir,
} from './build-repository.ts';
export type {
  BuildRpmFixtureOptions,
  RpmFixturePackage,
  RpmFixtureRepository,
} from './build-repository.ts';
export { RPM_REPO_PATHS } from './paths.ts';
export { RPM_KEY_NAME } from './signing-key.ts';
export { buildInstallIso } from './install-iso.ts';
export type { BuildInstallIsoOptions } from './install-iso.ts';
export type { RpmPackageSpec, RpmRepositoryName } from './package-spec.ts';
