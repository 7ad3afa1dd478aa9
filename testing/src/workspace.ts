import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@levitate/tools';

/** Builder executables as a user runs them. */
export const BUILDER_BINS = {
  leviso: join(WORKSPACE_ROOT, 'leviso', 'bin', 'leviso.js'),
  acorn: join(WORKSPACE_ROOT, 'acorn', 'bin', 'acorn.js'),
  iuppiter: join(WORKSPACE_ROOT, 'iuppiter', 'bin', 'iuppiter.js'),
} as const;

export type BuilderName = keyof typeof BUILDER_BINS;
