import { join } from 'node:path';
import { WORKSPACE_ROOT } from './root.ts';

/**
 * Where `nx run testing:apk-repo` and `testing:rpm-repo` publish the offline fixture
 * repositories, beside the download cache they share. The builders fall back to them; the
 * fixture builders write them; both read the locations from here.
 */
export const BUILT_FIXTURES_DIR = join(WORKSPACE_ROOT, 'dist', 'fixtures');
/** Downloaded and unpacked Debian packages the fixture builders make packages of. */
export const FIXTURE_CACHE_DIR = join(BUILT_FIXTURES_DIR, 'cache');
/** The Alpine-format fixture: `repo/<arch>/`, `keys/`, `manifest.json`. */
export const APK_FIXTURE_DIR = join(BUILT_FIXTURES_DIR, 'apk-repo');
/** The Rocky-style fixture: `BaseOS/`, `AppStream/`, `keys/`, `manifest.json`. */
export const RPM_FIXTURE_DIR = join(BUILT_FIXTURES_DIR, 'rpm-repo');

/** The two repositories of a Rocky release tree. */
export type RockyRepositoryName = 'BaseOS' | 'AppStream';

/** The tree of one repository under a Rocky-style root, as Rocky's mirrors lay it out. */
export function rockyRepositoryDir(root: string, repository: RockyRepositoryName): string {
  return join(root, repository, 'x86_64', 'os');
}

/** An offline repository set: the repository locations and the folder of keys to trust. */
export interface FixtureRepositories {
  readonly repos: readonly string[];
  readonly keys: string;
}

/** What AcornOS and IuppiterOS builds fall back to. */
export const APK_FIXTURE: FixtureRepositories = {
  repos: [join(APK_FIXTURE_DIR, 'repo')],
  keys: join(APK_FIXTURE_DIR, 'keys'),
};

/** What LevitateOS builds fall back to. */
export const RPM_FIXTURE: FixtureRepositories = {
  repos: [
    rockyRepositoryDir(RPM_FIXTURE_DIR, 'BaseOS'),
    rockyRepositoryDir(RPM_FIXTURE_DIR, 'AppStream'),
  ],
  keys: join(RPM_FIXTURE_DIR, 'keys'),
};
