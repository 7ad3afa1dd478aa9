/**
 * `nx run testing:apk-repo`: builds the offline AcornOS/IuppiterOS repository into
 * `dist/fixtures/apk-repo` (`repo/x86_64/`, `keys/`), building beside it and renaming into place.
 */
import { publishFixture, runFixtureCommand } from '../fixture-publish.ts';
import { APK_REPO_DIR, buildApkFixtureRepository } from './build-repository.ts';

runFixtureCommand(() =>
  publishFixture(APK_REPO_DIR, async (staging) => {
    const repository = await buildApkFixtureRepository({
      outDir: staging,
      arch: 'x86_64',
      log: (line) => process.stderr.write(`apk-repo: ${line}\n`),
    });
    return {
      manifest: {
        repository: 'repo',
        keys: 'keys',
        keyName: repository.keyName,
        packages: repository.packages,
      },
      summary: `${repository.packages.length} packages signed with ${repository.keyName}`,
    };
  }),
);
