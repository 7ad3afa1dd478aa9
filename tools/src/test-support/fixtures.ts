import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

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
