import type { Runner } from '@levitate/tools';
import { recompressRepodataAsZstd } from './zstd-repodata.ts';

/**
 * `createrepo_c` over one repository folder (`Packages/` beside the new `repodata/`), made
 * deterministic: every timestamp is `epoch`, the revision too, compression fixed, no sqlite
 * databases (dnf reads the XML), one worker so that nothing depends on scheduling. The
 * metadata is then republished zstd-compressed, as createrepo_c 1.0 writes it for Rocky 10.
 */
export async function createRepodata(
  runner: Runner,
  repoDir: string,
  epoch: number,
): Promise<void> {
  await runner.run(
    [
      'createrepo_c',
      '--quiet',
      '--no-database',
      '--unique-md-filenames',
      '--checksum=sha256',
      '--general-compress-type=gz',
      '--revision',
      String(epoch),
      '--set-timestamp-to-revision',
      '--workers=1',
      '--error-exit-val',
      repoDir,
    ],
    { env: { SOURCE_DATE_EPOCH: String(epoch) }, timeoutMs: 600_000 },
  );
  await recompressRepodataAsZstd(runner, repoDir);
}
