import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMissing } from '../core/atomic-file.ts';

/** The tools' sources (this module's parent folder) and the lock file that pins their packages. */
const SOURCES = fileURLToPath(new URL('..', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../../../package-lock.json', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile() && !entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

/**
 * SHA-256 over the code that makes artifacts: every source file of the tools but their tests,
 * the workspace's package lock (which pins the compression packages) and the Node.js version.
 * Any change to them makes every cached artifact a miss, so an edited builder is never
 * answered with what the old one made.
 */
export async function builderFingerprint(
  sources: string = SOURCES,
  lockFile: string = LOCK_FILE,
): Promise<string> {
  const hash = createHash('sha256').update(`node ${process.version}\0`);
  const files = (await filesUnder(sources)).sort();
  for (const file of files) {
    const bytes = await readFile(file);
    hash.update(`${relative(sources, file)}\0${bytes.length}\0`).update(bytes);
  }
  const lock = await readFile(lockFile).catch((error: unknown) => {
    if (isMissing(error)) return Buffer.from('no package lock');
    throw error;
  });
  return hash.update('\0package-lock\0').update(lock).digest('hex');
}
