import { audit } from './audit-log.ts';
import { buildRecipe } from './build-recipe.ts';
import { planChanges } from './change-plan.ts';
import { loadRecipe, refuseDraft } from './load-recipe.ts';
import type { LoadedRecipe } from './load-recipe.ts';
import { RecipeError } from './recipe-errors.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { readAllStates, readState, writeState } from './recipe-state.ts';
import type { RecipeState } from './recipe-state.ts';
import type { StagedTree } from './staged-tree.ts';
import { runTransaction } from './transaction.ts';

export type InstallResult =
  | {
      readonly recipe: string;
      readonly outcome: 'installed' | 'upgraded';
      readonly state: RecipeState;
    }
  | { readonly recipe: string; readonly outcome: 'up to date'; readonly state: RecipeState };

function stateAfter(
  recipe: LoadedRecipe,
  staged: StagedTree,
  dirs: readonly string[],
): RecipeState {
  const { pkg } = recipe.module;
  return {
    format: 1,
    name: recipe.name,
    version: pkg.version,
    recipeSha256: recipe.sha256,
    installedAt: new Date().toISOString(),
    sources: (pkg.sources ?? []).map(({ url, sha256 }) => ({ url, sha256 })),
    depends: [...(pkg.depends ?? [])],
    files: staged.entries.flatMap((entry) =>
      entry.kind === 'file'
        ? [{ path: entry.path, sha256: entry.sha256, size: entry.size, mode: entry.mode }]
        : [],
    ),
    links: staged.entries.flatMap((entry) =>
      entry.kind === 'symlink' ? [{ path: entry.path, target: entry.target }] : [],
    ),
    dirs: [...dirs],
  };
}

/** Builds the recipe and puts what it staged in the root as one transaction. */
async function apply(
  settings: RecipeSettings,
  recipe: LoadedRecipe,
  previous: RecipeState | undefined,
): Promise<RecipeState> {
  return buildRecipe(settings, recipe, async (staged) => {
    for (const note of staged.notes) settings.reporter.warn(`${recipe.name}: ${note}`);
    const states = await readAllStates(settings.recipesDir);
    const plan = await planChanges(settings.root, recipe.name, staged, previous, states);
    if (plan.conflicts.length > 0) {
      throw new RecipeError(recipe.name, 'apply', `would overwrite: ${plan.conflicts.join('; ')}`, {
        hint: 'remove those files or the recipe that holds them, or change the recipe to install elsewhere (/usr/local)',
      });
    }
    let state: RecipeState | undefined;
    await runTransaction(
      settings.root,
      settings.recipesDir,
      {
        recipe: recipe.name,
        outcome: { version: recipe.module.pkg.version, recipeSha256: recipe.sha256 },
        changes: plan.changes,
        dirs: plan.dirs,
      },
      async () => {
        // Folders made by the old version stay the recipe's.
        const dirs = [...(previous?.dirs ?? []), ...plan.dirs.map((dir) => dir.path)];
        state = stateAfter(recipe, staged, [...new Set(dirs)]);
        await writeState(settings.recipesDir, state);
      },
    );
    return state as RecipeState;
  });
}

/**
 * `recipe install` and `recipe upgrade`: the recipe's dependencies first (those not installed),
 * then the recipe, unless it is installed from the same recipe file already. Every attempt goes
 * to the audit log; a failure leaves the root and the state as they were.
 */
export async function installRecipe(
  settings: RecipeSettings,
  name: string,
  mode: 'install' | 'upgrade',
  visiting: readonly string[] = [],
): Promise<InstallResult[]> {
  if (visiting.includes(name)) {
    throw new RecipeError(name, 'load', `depends on itself: ${[...visiting, name].join(' → ')}`);
  }
  const recipe = await loadRecipe(settings.recipesDir, name);
  refuseDraft(recipe);
  const previous = await readState(settings.recipesDir, name);
  if (mode === 'upgrade' && previous === undefined) {
    throw new RecipeError(name, 'load', 'is not installed', { hint: `recipe install ${name}` });
  }
  const results: InstallResult[] = [];
  for (const dependency of recipe.module.pkg.depends ?? []) {
    if ((await readState(settings.recipesDir, dependency)) !== undefined) continue;
    results.push(...(await installRecipe(settings, dependency, 'install', [...visiting, name])));
  }
  if (previous !== undefined && previous.recipeSha256 === recipe.sha256) {
    return [...results, { recipe: name, outcome: 'up to date', state: previous }];
  }
  if (mode === 'install' && previous !== undefined) {
    throw new RecipeError(
      name,
      'load',
      `${previous.version} is installed from another version of its recipe (${recipe.module.pkg.version} now)`,
      { hint: `recipe upgrade ${name}` },
    );
  }
  const action = previous === undefined ? 'install' : 'upgrade';
  const record = {
    action,
    recipe: name,
    version: recipe.module.pkg.version,
    recipeSha256: recipe.sha256,
    sources: (recipe.module.pkg.sources ?? []).map(({ url, sha256 }) => ({ url, sha256 })),
  } as const;
  try {
    const state = await apply(settings, recipe, previous);
    await audit(settings.recipesDir, {
      ...record,
      files: [...state.files, ...state.links].map((entry) => entry.path),
      outcome: 'done',
    });
    const outcome = previous === undefined ? 'installed' : 'upgraded';
    return [...results, { recipe: name, outcome, state }];
  } catch (error) {
    await audit(settings.recipesDir, { ...record, outcome: 'failed', error: String(error) });
    throw error;
  }
}
