import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { measureFile } from '../fetch/digest.ts';
import type { RecipeState } from './recipe-state.ts';

export interface VerifyProblem {
  readonly recipe: string;
  readonly path: string;
  readonly problem: string;
}

/** What is no longer as the recipe installed it: missing, changed, another mode or target. */
export async function verifyState(root: string, state: RecipeState): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const report = (path: string, problem: string) =>
    problems.push({ recipe: state.name, path, problem });
  for (const file of state.files) {
    const host = join(root, file.path);
    const info = await lstat(host).catch(() => undefined);
    if (info === undefined) report(file.path, 'missing');
    else if (!info.isFile()) report(file.path, 'no longer a file');
    else if (info.size !== file.size || (await measureFile(host)).sha256 !== file.sha256) {
      report(file.path, 'content changed');
    } else if ((info.mode & 0o7777) !== file.mode) {
      report(
        file.path,
        `mode ${(info.mode & 0o7777).toString(8)}, installed ${file.mode.toString(8)}`,
      );
    }
  }
  for (const link of state.links) {
    const target = await readlink(join(root, link.path)).catch(() => undefined);
    if (target === undefined) report(link.path, 'missing');
    else if (target !== link.target)
      report(link.path, `points to ${target}, installed ${link.target}`);
  }
  return problems;
}
