import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A scratch folder for each test's variant files, made before the test and removed after it. */
export interface VariantFolder {
  readonly dir: string;
  /** Writes `text` to `name` in the folder and returns its path. */
  write(name: string, text: string): Promise<string>;
}

export function useVariantFolder(prefix: string): VariantFolder {
  let current: string | undefined;
  beforeEach(async () => {
    current = await mkdtemp(join(tmpdir(), `${prefix}-`));
  });
  afterEach(async () => {
    if (current !== undefined) await rm(current, { recursive: true, force: true });
  });
  const folder: VariantFolder = {
    get dir() {
      if (current === undefined) throw new Error('the variant folder exists only during a test');
      return current;
    },
    async write(name, text) {
      const file = join(folder.dir, name);
      await writeFile(file, text);
      return file;
    },
  };
  return folder;
}
