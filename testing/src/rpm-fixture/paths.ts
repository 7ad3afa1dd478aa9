import { join } from 'node:path';
import { RPM_REPO_DIR, repositoryDir } from './build-repository.ts';
import { RPM_KEY_NAME } from './signing-key.ts';

/** The repositories and key of the fixture that `nx run testing:rpm-repo` leaves in RPM_REPO_DIR. */
export const RPM_REPO_PATHS = {
  /** `BaseOS/x86_64/os`, a dnf baseurl. */
  baseOs: repositoryDir(RPM_REPO_DIR, 'BaseOS'),
  /** `AppStream/x86_64/os`, a dnf baseurl. */
  appStream: repositoryDir(RPM_REPO_DIR, 'AppStream'),
  /** The folder holding the public key, as `--keys` takes it. */
  keysDir: join(RPM_REPO_DIR, 'keys'),
  /** The ASCII-armoured public key every package is signed with. */
  keyFile: join(RPM_REPO_DIR, 'keys', RPM_KEY_NAME),
  manifest: join(RPM_REPO_DIR, 'manifest.json'),
} as const;
