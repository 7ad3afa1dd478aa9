/**
 * A build that never ends, run by the interrupt test as its own process: the real folder
 * checks, locks, work folder and signal handling around a fake build that writes into its work
 * folder and waits. Arguments: the output folder, the cache and TMPDIR.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReporter } from '../core/step.ts';
import { inBuildFolders } from './build-folders.ts';

const [out = '', cache = '', temp = ''] = process.argv.slice(2);
await inBuildFolders(
  'testos',
  { out, cache, temp },
  { reporter: createReporter({ mode: 'plain' }) },
  async ({ workDir }) => {
    await writeFile(join(workDir, 'squashfs.img'), new Uint8Array(1 << 20));
    process.stdout.write(`building in ${workDir}\n`);
    await sleep(120_000);
  },
);
