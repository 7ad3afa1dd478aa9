/**
 * `nx run testing:rpm-repo`: builds the offline LevitateOS repositories into
 * `dist/fixtures/rpm-repo` (`BaseOS/`, `AppStream/`, `keys/`, `manifest.json`), building beside it
 * and renaming into place.
 */
import { publishFixture, runFixtureCommand } from '../fixture-publish.ts';
import { RPM_REPO_DIR, buildRpmFixtureRepository } from './build-repository.ts';

runFixtureCommand(() =>
  publishFixture(RPM_REPO_DIR, async (staging) => {
    const repository = await buildRpmFixtureRepository({
      outDir: staging,
      log: (line) => process.stderr.write(`rpm-repo: ${line}\n`),
    });
    return {
      manifest: {
        repositories: { BaseOS: 'BaseOS/x86_64/os', AppStream: 'AppStream/x86_64/os' },
        keys: 'keys',
        keyName: repository.keyName,
        fingerprint: repository.fingerprint,
        packages: repository.packages,
      },
      summary: `${repository.packages.length} packages signed with ${repository.keyName} (${repository.fingerprint})`,
    };
  }),
);
