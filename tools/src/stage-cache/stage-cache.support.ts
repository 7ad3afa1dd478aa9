import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StageCache } from './stage-cache.ts';

/** A cache in `folder` with a fixed builder fingerprint; warnings go to `warnings`. */
export function cacheIn(folder: string, warnings: string[] = [], fingerprint = 'builder-1') {
  return new StageCache({ dir: folder, maxBytes: 1 << 30 }, fingerprint, (message) => {
    warnings.push(message);
  });
}

/** Makes `output` from `text`, counting how often it runs. */
export function maker(output: string, text: string) {
  const made = { runs: 0, make: async () => {} };
  made.make = async () => {
    made.runs += 1;
    await writeFile(output, text);
  };
  return made;
}

/** The artifact entry files of the cache in `folder`. */
export async function entryFiles(folder: string): Promise<string[]> {
  const root = join(folder, 'artifacts');
  const files: string[] = [];
  for (const fanOut of await readdir(root)) {
    for (const name of await readdir(join(root, fanOut))) files.push(join(root, fanOut, name));
  }
  return files;
}
