/**
 * `nx run testing:apk-repo`: builds the offline AcornOS/IuppiterOS repository into
 * `dist/fixtures/apk-repo` (`repo/x86_64/`, `keys/`), building beside it and renaming into place.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exitCodeFor, formatDuration, formatError } from '@levitate/tools';
import { APK_REPO_DIR, buildApkFixtureRepository } from './build-repository.ts';

async function main(): Promise<void> {
  const started = Date.now();
  const parent = join(APK_REPO_DIR, '..');
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const staging = join(parent, `.apk-repo.new-${suffix}`);
  const retired = join(parent, `.apk-repo.old-${suffix}`);
  try {
    const repository = await buildApkFixtureRepository({
      outDir: staging,
      arch: 'x86_64',
      log: (line) => process.stderr.write(`apk-repo: ${line}\n`),
    });
    const manifest = {
      repository: 'repo',
      keys: 'keys',
      keyName: repository.keyName,
      packages: repository.packages,
    };
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(APK_REPO_DIR)) {
      await rename(APK_REPO_DIR, retired);
    }
    await rename(staging, APK_REPO_DIR);
    const seconds = formatDuration(Date.now() - started);
    console.log(
      `${repository.packages.length} packages signed with ${repository.keyName} in ${APK_REPO_DIR} (${seconds})`,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(retired, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(formatError(error));
  process.exitCode = exitCodeFor(error);
});
