/** Locations inside the monorepo (`@levitate/tools/workspace`). */
export { WORKSPACE_ROOT } from './root.ts';
export {
  APK_FIXTURE,
  APK_FIXTURE_DIR,
  BUILT_FIXTURES_DIR,
  FIXTURE_CACHE_DIR,
  RPM_FIXTURE,
  RPM_FIXTURE_DIR,
  rockyRepositoryDir,
} from './fixture-repositories.ts';
export type { FixtureRepositories, RockyRepositoryName } from './fixture-repositories.ts';
