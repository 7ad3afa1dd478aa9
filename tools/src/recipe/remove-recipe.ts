import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { audit } from './audit-log.ts';
import { RecipeError } from './recipe-errors.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { readAllStates, removeState } from './recipe-state.ts';
import type { RecipeState } from './recipe-state.ts';
import { runTransaction } from './transaction.ts';

/**
 * `recipe remove`: deletes what the recipe installed and its state, as one transaction, and
 * the folders it made once they are empty. Refused while an installed recipe depends on it.
 * Works from the state alone: the recipe file may be gone.
 */
export async function removeRecipe(settings: RecipeSettings, name: string): Promise<RecipeState> {
  const states = await readAllStates(settings.recipesDir);
  const state = states.get(name);
  if (state === undefined) {
    throw new RecipeError(name, 'remove', 'is not installed', { hint: 'recipe list' });
  }
  const dependents = [...states.values()].filter((other) => other.depends.includes(name));
  if (dependents.length > 0) {
    throw new RecipeError(
      name,
      'remove',
      `${dependents.map((other) => other.name).join(', ')} depend${dependents.length === 1 ? 's' : ''} on it`,
      { hint: `remove ${dependents.map((other) => other.name).join(' ')} first` },
    );
  }
  const present: string[] = [];
  for (const entry of [...state.files, ...state.links]) {
    if ((await lstat(join(settings.root, entry.path)).catch(() => undefined)) !== undefined) {
      present.push(entry.path);
    }
  }
  const record = { action: 'remove', recipe: name, version: state.version } as const;
  try {
    await runTransaction(
      settings.root,
      settings.recipesDir,
      {
        recipe: name,
        changes: present.map((path) => ({ action: 'delete', path })),
        dirs: [],
        emptiedDirs: state.dirs,
      },
      () => removeState(settings.recipesDir, name),
    );
  } catch (error) {
    await audit(settings.recipesDir, { ...record, outcome: 'failed', error: String(error) });
    throw error;
  }
  await audit(settings.recipesDir, { ...record, files: present, outcome: 'done' });
  return state;
}
