/**
 * `nx run testing:rpm-repo`: builds the offline LevitateOS repositories into
 * `dist/fixtures/rpm-repo` (`BaseOS/`, `AppStream/`, `keys/`, `manifest.json`), building beside it
 * and renaming into place.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exitCodeFor, formatDuration, formatError } from '@levitate/tools';
import { RPM_REPO_DIR, buildRpmFixtureRepository } from './build-repository.ts';

async function main(): Promise<void> {
  const started = Date.now();
  const parent = join(RPM_REPO_DIR, '..');
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const staging = join(parent, `.rpm-repo.new-${suffix}`);
  const retired = join(parent, `.rpm-repo.old-${suffix}`);
  try {
    const repository = await buildRpmFixtureRepository({
      outDir: staging,
      log: (line) => process.stderr.write(`rpm-repo: ${line}\n`),
    });
    const manifest = {
      repositories: { BaseOS: 'BaseOS/x86_64/os', AppStream: 'AppStream/x86_64/os' },
      keys: 'keys',
      keyName: repository.keyName,
      fingerprint: repository.fingerprint,
      packages: repository.packages,
    };
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(RPM_REPO_DIR)) {
      await rename(RPM_REPO_DIR, retired);
    }
    await rename(staging, RPM_REPO_DIR);
    const seconds = formatDuration(Date.now() - started);
    console.log(
      `${repository.packages.length} packages signed with ${repository.keyName} (${repository.fingerprint}) in ${RPM_REPO_DIR} (${seconds})`,
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
