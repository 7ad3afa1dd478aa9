import { existsSync } from 'node:fs';
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
