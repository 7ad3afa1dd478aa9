/** Files of repositories on this machine (`file://` URLs and directories). */

import { copyFile, stat } from 'node:fs/promises';
import { contentProblem, measureFile } from './digest.ts';
import type { Measurement } from './digest.ts';
import { isMissing } from '../core/atomic-file.ts';
import type { ExpectedContent } from './types.ts';
import { messageOf } from '../core/errors.ts';

export type LocalOutcome =
  | { readonly kind: 'found'; readonly file: string; readonly measured: Measurement }
  | { readonly kind: 'not-found'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'mismatch'; readonly reason: string };

/**
 * Verifies a local file against what is expected. With `copyTo`, the file is first copied
 * there and the copy is what gets verified (and returned), so that the bytes checked are the
 * bytes kept.
 */
export async function readLocalFile(
  file: string,
  expected: ExpectedContent | undefined,
  copyTo?: string,
): Promise<LocalOutcome> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      return { kind: 'failed', reason: 'not a regular file' };
    }
    if (expected?.size !== undefined && info.size !== expected.size) {
      return { kind: 'mismatch', reason: `size is ${info.size} bytes, expected ${expected.size}` };
    }
  } catch (err) {
    return isMissing(err)
      ? { kind: 'not-found', reason: 'no such file' }
      : { kind: 'failed', reason: messageOf(err) };
  }
  let measured: Measurement;
  const source = copyTo ?? file;
  try {
    if (copyTo !== undefined) {
      await copyFile(file, copyTo);
    }
    measured = await measureFile(source, expected?.digest?.algorithm);
  } catch (err) {
    return { kind: 'failed', reason: messageOf(err) };
  }
  const problem = contentProblem(measured, expected);
  return problem === undefined
    ? { kind: 'found', file: source, measured }
    : { kind: 'mismatch', reason: problem };
}
