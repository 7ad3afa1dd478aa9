import { join } from 'node:path';
import { RPM_FIXTURE, RPM_FIXTURE_DIR, rockyRepositoryDir } from '@levitate/tools/workspace';
import { RPM_KEY_NAME } from './signing-key.ts';

/** The repositories and key of the fixture that `nx run testing:rpm-repo` leaves in RPM_FIXTURE_DIR. */
export const RPM_REPO_PATHS = {
  /** `BaseOS/x86_64/os`, a dnf baseurl. */
  baseOs: rockyRepositoryDir(RPM_FIXTURE_DIR, 'BaseOS'),
  /** `AppStream/x86_64/os`, a dnf baseurl. */
  appStream: rockyRepositoryDir(RPM_FIXTURE_DIR, 'AppStream'),
  /** The folder holding the public key, as `--keys` takes it. */
  keysDir: RPM_FIXTURE.keys,
  /** The ASCII-armoured public key every package is signed with. */
  keyFile: join(RPM_FIXTURE.keys, RPM_KEY_NAME),
  manifest: join(RPM_FIXTURE_DIR, 'manifest.json'),
} as const;
