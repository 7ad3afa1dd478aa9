import { readdir } from 'node:fs/promises';
import { withFolderLock } from '../core/folder-lock.ts';
import { runningSlot, stageOtherSlot } from './ab-slots.ts';
import { audit } from './audit-log.ts';
import { installRecipe } from './install-recipe.ts';
import type { InstallResult } from './install-recipe.ts';
import { RECIPE_SUFFIX, loadRecipe } from './load-recipe.ts';
import { removeRecipe } from './remove-recipe.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { readAllStates, readState } from './recipe-state.ts';
import { recoverInterrupted } from './transaction.ts';
import { verifyState } from './verify-recipes.ts';
import type { VerifyProblem } from './verify-recipes.ts';

/**
 * Runs a changing command holding the recipe folder's lock, after settling whatever a killed
 * run left half done.
 */
export async function changing<T>(settings: RecipeSettings, fn: () => Promise<T>): Promise<T> {
  const folder = {
    dir: settings.recipesDir,
    role: 'recipe folder',
    elsewhere: 'name another with --recipes',
  };
  return withFolderLock(folder, { reporter: settings.reporter, waitMs: 60_000 }, async () => {
    const settled = await recoverInterrupted(
      settings.root,
      settings.recipesDir,
      async (name, outcome) => {
        const state = await readState(settings.recipesDir, name);
        if (outcome === undefined) return state === undefined;
        return state?.version === outcome.version && state.recipeSha256 === outcome.recipeSha256;
      },
    );
    for (const { recipe, settled: how } of settled) {
      settings.reporter.warn(`${recipe}: an interrupted change was found and ${how}`);
      await audit(settings.recipesDir, {
        action: 'recover',
        recipe,
        outcome: how === 'finished' ? 'done' : 'rolled back',
      });
    }
    return fn();
  });
}

/** Where a changing command makes its change. */
export interface ChangeTarget {
  /** `--root` was given: that root is changed in place. */
  readonly rootGiven: boolean;
  /** `--mutable`: the running slot of an A/B install is changed in place. */
  readonly mutable: boolean;
  /** The kernel command line that names the running slot (`/proc/cmdline`). */
  readonly cmdlineFile?: string;
}

/**
 * Runs a change where it belongs. On an A/B install, the change is composed in a copy of the
 * running system in the other slot, which then gets one trial boot; a failure leaves the
 * running slot and its recipe state as they were and the other slot unbootable, as a failed
 * `recupdate apply` does. On a live system, under `--root`, or with `--mutable`, the root is
 * changed in place. `wouldChange` says, without changing anything, whether there is anything
 * to do: when not, nothing is staged. `change` takes the recipe folder's lock itself.
 */
export async function composeChange(
  settings: RecipeSettings,
  target: ChangeTarget,
  wouldChange: () => Promise<boolean>,
  change: (where: RecipeSettings) => Promise<string>,
): Promise<string> {
  const running = target.rootGiven ? undefined : await runningSlot(target.cmdlineFile);
  if (running === undefined || !(await wouldChange())) return change(settings);
  if (target.mutable) {
    settings.reporter.warn(
      `changing the running slot ${running} in place (--mutable): a reboot does not undo a change that breaks it`,
    );
    return change(settings);
  }
  const staged = await stageOtherSlot(settings, running);
  try {
    const text = await change(staged.settings);
    return text + (await staged.arm());
  } catch (error) {
    await staged.abandon();
    throw error;
  }
}

/** Whether installing or upgrading `names` would change anything (errors are left to the run). */
export async function installWouldChange(
  settings: RecipeSettings,
  names: readonly string[],
  mode: 'install' | 'upgrade',
): Promise<boolean> {
  for (const name of names) {
    const recipe = await loadRecipe(settings.recipesDir, name).catch(() => undefined);
    const state = await readState(settings.recipesDir, name);
    if (recipe === undefined || recipe.draft || (mode === 'upgrade' && state === undefined)) {
      continue;
    }
    if (state?.recipeSha256 !== recipe.sha256) return true;
    for (const dependency of recipe.module.pkg.depends ?? []) {
      if ((await readState(settings.recipesDir, dependency)) === undefined) return true;
    }
  }
  return false;
}

/** Whether removing `names` would remove anything (refusals are left to the run). */
export async function removeWouldChange(
  settings: RecipeSettings,
  names: readonly string[],
): Promise<boolean> {
  const states = await readAllStates(settings.recipesDir);
  return names.some(
    (name) =>
      states.has(name) &&
      ![...states.values()].some(
        (other) => other.depends.includes(name) && !names.includes(other.name),
      ),
  );
}

export function describeInstall(results: readonly InstallResult[]): string {
  return results
    .map(({ recipe, outcome, state }) =>
      outcome === 'up to date'
        ? `${recipe} ${state.version} is installed and up to date\n`
        : `${outcome} ${recipe} ${state.version}: ${state.files.length + state.links.length} files\n`,
    )
    .join('');
}

export async function installCommand(
  settings: RecipeSettings,
  names: readonly string[],
  mode: 'install' | 'upgrade',
): Promise<string> {
  return changing(settings, async () => {
    const results: InstallResult[] = [];
    for (const name of names) results.push(...(await installRecipe(settings, name, mode)));
    return describeInstall(results);
  });
}

export async function removeCommand(
  settings: RecipeSettings,
  names: readonly string[],
): Promise<string> {
  return changing(settings, async () => {
    let text = '';
    for (const name of names) {
      const state = await removeRecipe(settings, name);
      text += `removed ${name} ${state.version}\n`;
    }
    return text;
  });
}

/** Every recipe of the folder and every installed one, with both versions and the draft mark. */
export async function listCommand(settings: RecipeSettings): Promise<string> {
  const files = await readdir(settings.recipesDir).catch(() => [] as string[]);
  const states = await readAllStates(settings.recipesDir);
  const names = new Set([
    ...files
      .filter((file) => file.endsWith(RECIPE_SUFFIX))
      .map((file) => file.slice(0, -RECIPE_SUFFIX.length)),
    ...states.keys(),
  ]);
  const lines: string[] = [];
  for (const name of [...names].sort()) {
    const installed = states.get(name)?.version;
    const recipe = await loadRecipe(settings.recipesDir, name).catch(() => undefined);
    const available =
      recipe === undefined ? 'no recipe' : recipe.draft ? 'draft' : recipe.module.pkg.version;
    lines.push(
      `${name}  ${installed === undefined ? 'not installed' : `installed ${installed}`}  recipe ${available}`,
    );
  }
  return lines.length === 0 ? `no recipes in ${settings.recipesDir}\n` : `${lines.join('\n')}\n`;
}

export async function infoCommand(settings: RecipeSettings, name: string): Promise<string> {
  const recipe = await loadRecipe(settings.recipesDir, name);
  const state = await readState(settings.recipesDir, name);
  const pkg = recipe.draft ? undefined : recipe.module.pkg;
  const lines = [
    `name: ${name}`,
    `recipe: ${recipe.file}${recipe.draft ? ' (draft: review it and remove its @recipe-draft line)' : ''}`,
    ...(pkg === undefined
      ? []
      : [
          `version: ${pkg.version}`,
          ...(pkg.description === undefined ? [] : [`description: ${pkg.description}`]),
          ...(pkg.license === undefined ? [] : [`license: ${pkg.license}`]),
          ...(pkg.depends?.length ? [`depends: ${pkg.depends.join(', ')}`] : []),
          ...(pkg.sources ?? []).map((source) => `source: ${source.url} sha256:${source.sha256}`),
        ]),
    state === undefined
      ? 'installed: no'
      : `installed: ${state.version} on ${state.installedAt}, ${state.files.length} files, ${state.links.length} links`,
    ...(state?.files ?? []).map((file) => `  ${file.path}`),
    ...(state?.links ?? []).map((link) => `  ${link.path} -> ${link.target}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function verifyCommand(
  settings: RecipeSettings,
  names: readonly string[],
): Promise<{ text: string; problems: VerifyProblem[] }> {
  const states = await readAllStates(settings.recipesDir);
  const chosen = names.length === 0 ? [...states.keys()] : [...names];
  const problems: VerifyProblem[] = [];
  for (const name of chosen) {
    const state = states.get(name);
    if (state === undefined) problems.push({ recipe: name, path: '-', problem: 'not installed' });
    else problems.push(...(await verifyState(settings.root, state)));
  }
  const text =
    problems.length === 0
      ? `${chosen.length} recipe${chosen.length === 1 ? '' : 's'} verified: every file is as installed\n`
      : problems.map((p) => `${p.recipe}: ${p.path}: ${p.problem}\n`).join('');
  return { text, problems };
}
