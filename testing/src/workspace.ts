import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

/** Builder executables as a user runs them. */
export const BUILDER_BINS = {
  leviso: join(WORKSPACE_ROOT, 'leviso', 'bin', 'leviso.js'),
  acorn: join(WORKSPACE_ROOT, 'acorn', 'bin', 'acorn.js'),
  iuppiter: join(WORKSPACE_ROOT, 'iuppiter', 'bin', 'iuppiter.js'),
} as const;

export type BuilderName = keyof typeof BUILDER_BINS;
