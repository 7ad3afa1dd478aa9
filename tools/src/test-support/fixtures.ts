import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../workspace/root.ts';

export { WORKSPACE_ROOT };

/**
 * The read-only third-party fixtures: `$LEVITATE_FIXTURES`, or `../shared/fixtures` beside
 * the checkout as CI lays it out.
 */
export function fixturesDir(): string {
  const dir = process.env['LEVITATE_FIXTURES'] ?? join(WORKSPACE_ROOT, '..', 'shared', 'fixtures');
  if (!existsSync(join(dir, 'README.md'))) {
    throw new Error(
      `fixtures not found at ${dir}: check out the shared fixtures beside the repository or set LEVITATE_FIXTURES`,
    );
  }
  return dir;
}

/** A path inside the fixtures. */
export function fixture(...parts: string[]): string {
  return join(fixturesDir(), ...parts);
}

/** The folder of the Alpine 3.20.3 x86_64 minirootfs. */
export const minirootfsDir = () => fixture('apkindex', 'alpine-minirootfs');

/** The Alpine minirootfs tarball: the first `.tar.gz` of its folder by name. */
export async function minirootfsTarball(): Promise<string> {
  const [name] = (await readdir(minirootfsDir())).filter((f) => f.endsWith('.tar.gz')).sort();
  if (name === undefined) {
    throw new Error(`no minirootfs tarball in ${minirootfsDir()}`);
  }
  return join(minirootfsDir(), name);
}
