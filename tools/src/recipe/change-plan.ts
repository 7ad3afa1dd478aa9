import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecipeState } from './recipe-state.ts';
import type { StagedTree } from './staged-tree.ts';
import type { Change } from './transaction.ts';

export interface ChangePlan {
  readonly changes: readonly Change[];
  readonly dirs: readonly { readonly path: string; readonly mode: number }[];
  /** Paths the recipe may not take, each with why: nothing is changed while there are any. */
  readonly conflicts: readonly string[];
}

/** Every path an installed recipe holds, with the recipe's name. */
function owners(states: ReadonlyMap<string, RecipeState>, except: string): Map<string, string> {
  const owned = new Map<string, string>();
  for (const [name, state] of states) {
    if (name === except) continue;
    for (const entry of [...state.files, ...state.links]) owned.set(entry.path, name);
  }
  return owned;
}

/**
 * The changes that put the staged tree in the root: files and links created, or replaced when
 * the recipe's installed version holds them, and (on an upgrade) what only the old version had
 * deleted. A path that something else holds is a conflict, never overwritten.
 */
export async function planChanges(
  root: string,
  recipe: string,
  staged: StagedTree,
  previous: RecipeState | undefined,
  states: ReadonlyMap<string, RecipeState>,
): Promise<ChangePlan> {
  const held = new Set([...(previous?.files ?? []), ...(previous?.links ?? [])].map((e) => e.path));
  const others = owners(states, recipe);
  const changes: Change[] = [];
  const dirs: { path: string; mode: number }[] = [];
  const conflicts: string[] = [];
  const wanted = new Set<string>();
  for (const entry of staged.entries) {
    const info = await lstat(join(root, entry.path)).catch(() => undefined);
    if (entry.kind === 'directory') {
      if (info === undefined) dirs.push({ path: entry.path, mode: entry.mode });
      else if (!info.isDirectory()) conflicts.push(`${entry.path} is there and is not a folder`);
      continue;
    }
    wanted.add(entry.path);
    if (info === undefined) changes.push({ action: 'create', path: entry.path, entry });
    else if (info.isDirectory()) conflicts.push(`${entry.path} is a folder`);
    else if (held.has(entry.path)) changes.push({ action: 'replace', path: entry.path, entry });
    else {
      const owner = others.get(entry.path);
      conflicts.push(
        owner === undefined
          ? `${entry.path} is there and no recipe installed it`
          : `${entry.path} belongs to recipe ${owner}`,
      );
    }
  }
  for (const path of held) {
    if (wanted.has(path)) continue;
    if ((await lstat(join(root, path)).catch(() => undefined)) !== undefined) {
      changes.push({ action: 'delete', path });
    }
  }
  return { changes, dirs, conflicts };
}
