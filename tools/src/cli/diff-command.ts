import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRunner } from '../core/run.ts';
import { UserError } from '../core/errors.ts';
import { describeBuildDiff, diffBuilds } from '../diff/index.ts';
import type { BuildDiff } from '../diff/index.ts';
import { stableJson } from './json.ts';

export interface DiffCommandRequest {
  readonly a: string;
  readonly b: string;
  readonly json: boolean;
  readonly debug: boolean;
}

/**
 * `diff A.iso B.iso`: what differs between two builds, artifact by artifact, as text or JSON;
 * `identical` for two byte-identical images. The caller sets exit status 1 when they differ.
 */
export async function runDiffCommand(
  request: DiffCommandRequest,
): Promise<{ text: string; diff: BuildDiff }> {
  const work = await mkdtemp(join(tmpdir(), 'levitate-diff-'));
  try {
    const diff = await diffBuilds(resolve(request.a), resolve(request.b), {
      runner: createRunner({ debug: request.debug }),
      workDir: work,
    }).catch((error: unknown) => {
      if (error instanceof UserError) throw error;
      throw new UserError(
        'diff-failed',
        `cannot compare ${request.a} and ${request.b}: ${String(error)}`,
        {
          hint: 'give two ISO images written by these builders',
          cause: error,
        },
      );
    });
    return { text: request.json ? stableJson(diff) : `${describeBuildDiff(diff)}\n`, diff };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
