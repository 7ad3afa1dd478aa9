import { writeFileAtomic } from '../core/atomic-file.ts';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core/errors.ts';
import { RecipeError } from './recipe-errors.ts';

export const STATE_FORMAT = 1;

export interface InstalledFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mode: number;
}

/**
 * What is installed from a recipe, kept beside it as `<name>.state.json`: readable by people,
 * and travelling with the slot the recipes live in.
 */
export interface RecipeState {
  readonly format: typeof STATE_FORMAT;
  readonly name: string;
  readonly version: string;
  /** SHA-256 of the recipe file that was applied. */
  readonly recipeSha256: string;
  /** ISO 8601. */
  readonly installedAt: string;
  readonly sources: readonly { readonly url: string; readonly sha256: string }[];
  /** Recipes it needs: they cannot be removed while it is installed. */
  readonly depends: readonly string[];
  readonly files: readonly InstalledFile[];
  readonly links: readonly { readonly path: string; readonly target: string }[];
  /** Folders the recipe created, removed again (when empty) with it. */
  readonly dirs: readonly string[];
}

const STATE_SUFFIX = '.state.json';

export function stateFile(recipesDir: string, name: string): string {
  return join(recipesDir, `${name}${STATE_SUFFIX}`);
}

function isState(value: unknown, name: string): value is RecipeState {
  const state = value as Partial<RecipeState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.format === STATE_FORMAT &&
    state.name === name &&
    typeof state.version === 'string' &&
    Array.isArray(state.depends) &&
    Array.isArray(state.files) &&
    Array.isArray(state.links) &&
    Array.isArray(state.dirs)
  );
}

/** The recipe's state, or undefined when it is not installed. */
export async function readState(
  recipesDir: string,
  name: string,
): Promise<RecipeState | undefined> {
  const file = stateFile(recipesDir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RecipeError(name, 'state', `cannot read ${file}: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecipeError(name, 'state', `${file} is not JSON: ${messageOf(error)}`, {
      hint: `restore ${file} from the other slot or a backup; it records what is installed`,
    });
  }
  if (!isState(parsed, name)) {
    throw new RecipeError(name, 'state', `${file} is not the state of recipe ${name}`, {
      hint: `restore ${file} from the other slot or a backup; it records what is installed`,
    });
  }
  return parsed;
}

/** The states of every installed recipe of the folder, by name. */
export async function readAllStates(recipesDir: string): Promise<Map<string, RecipeState>> {
  const names = (await readdir(recipesDir).catch(() => [] as string[]))
    .filter((name) => name.endsWith(STATE_SUFFIX))
    .map((name) => name.slice(0, -STATE_SUFFIX.length))
    .sort();
  const states = new Map<string, RecipeState>();
  for (const name of names) {
    const state = await readState(recipesDir, name);
    if (state !== undefined) states.set(name, state);
  }
  return states;
}

/** Writes the state to a temporary name and renames it into place. */
export async function writeState(recipesDir: string, state: RecipeState): Promise<void> {
  const file = stateFile(recipesDir, state.name);
  await writeFileAtomic(
    file,
    `${JSON.stringify(state, null, 2)}
`,
  );
}

export async function removeState(recipesDir: string, name: string): Promise<void> {
  await rm(stateFile(recipesDir, name), { force: true });
}
