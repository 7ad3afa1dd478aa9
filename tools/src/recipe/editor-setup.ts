import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { readShared } from './shared-files.ts';

export const RECIPE_API_FILE = 'recipe-api.d.ts';
export const EDITOR_CONFIG_FILE = 'jsconfig.json';

/**
 * What makes an editor's TypeScript service check every `*.recipe.js` of the folder that starts
 * with `// @ts-check`: strict checking of JavaScript, with `import('./recipe-api')` in JSDoc
 * naming the API file beside it.
 */
const EDITOR_CONFIG = {
  compilerOptions: {
    checkJs: true,
    strict: true,
    noEmit: true,
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
  },
  include: ['*.recipe.js', RECIPE_API_FILE],
};

export interface EditorSetup {
  /** Files written, by name inside the recipes folder. */
  readonly written: readonly string[];
  /** Files left as they were (a jsconfig.json the user may have edited). */
  readonly kept: readonly string[];
}

/**
 * Puts the recipe API beside the recipes, replacing an older copy, and a jsconfig.json unless
 * one is there: the folder then checks itself in an editor, on the installed system or on any
 * machine the folder is copied to. Each file is written whole under a temporary name first.
 */
export async function setUpRecipesForEditors(recipesDir: string): Promise<EditorSetup> {
  await writeFileAtomic(join(recipesDir, RECIPE_API_FILE), await readShared(RECIPE_API_FILE));
  const config = join(recipesDir, EDITOR_CONFIG_FILE);
  if (await exists(config)) return { written: [RECIPE_API_FILE], kept: [EDITOR_CONFIG_FILE] };
  await writeFileAtomic(config, `${JSON.stringify(EDITOR_CONFIG, null, 2)}\n`);
  return { written: [RECIPE_API_FILE, EDITOR_CONFIG_FILE], kept: [] };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
