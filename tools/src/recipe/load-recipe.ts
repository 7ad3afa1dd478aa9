import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core/errors.ts';
import type { RecipeModule, RecipePackage, RecipeSource } from './recipe-api.d.ts';
import { RecipeError } from './recipe-errors.ts';

export const RECIPE_SUFFIX = '.recipe.js';
/** A line `// @recipe-draft …` marks a recipe nobody has reviewed yet: it is never run. */
const DRAFT_MARK = /^[ \t]*\/\/[ \t]*@recipe-draft\b/m;
const NAME = /^[a-z0-9][a-z0-9._+-]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A recipe as read from its folder: its module, or why it cannot be used. */
export interface LoadedRecipe {
  readonly name: string;
  readonly file: string;
  /** SHA-256 of the recipe file: what the state and the audit log record. */
  readonly sha256: string;
  readonly draft: boolean;
  readonly module: RecipeModule;
}

export function recipeFile(recipesDir: string, name: string): string {
  return join(recipesDir, `${name}${RECIPE_SUFFIX}`);
}

function checkSource(source: unknown, index: number): string[] {
  const where = `pkg.sources[${index}]`;
  if (typeof source !== 'object' || source === null) return [`${where} must be an object`];
  const { url, sha256, mirrors, name } = source as Partial<Record<keyof RecipeSource, unknown>>;
  const problems: string[] = [];
  if (typeof url !== 'string' || !/^(https?|file):\/\/./.test(url)) {
    problems.push(`${where}.url must be an https://, http:// or file:// URL`);
  }
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
    problems.push(`${where}.sha256 must be the file's SHA-256, 64 lowercase hex digits`);
  }
  if (
    mirrors !== undefined &&
    !(Array.isArray(mirrors) && mirrors.every((mirror) => typeof mirror === 'string'))
  ) {
    problems.push(`${where}.mirrors must be a list of URLs`);
  }
  if (name !== undefined && (typeof name !== 'string' || !NAME.test(name.toLowerCase()))) {
    problems.push(`${where}.name must be a plain file name`);
  }
  return problems;
}

/** Every problem with the module's exports, so that one reading shows them all. */
export function recipeProblems(name: string, module: Partial<RecipeModule>): string[] {
  const problems: string[] = [];
  const pkg = module.pkg as Partial<Record<keyof RecipePackage, unknown>> | undefined;
  if (typeof pkg !== 'object' || pkg === null) return ['it must export `pkg`, an object'];
  if (pkg.name !== name) problems.push(`pkg.name must be "${name}", the name of its file`);
  if (typeof pkg.version !== 'string' || !/^[^\s/]+$/.test(pkg.version)) {
    problems.push('pkg.version must be a version without spaces or slashes');
  }
  for (const field of ['description', 'license'] as const) {
    if (pkg[field] !== undefined && typeof pkg[field] !== 'string') {
      problems.push(`pkg.${field} must be text`);
    }
  }
  if (pkg.sources !== undefined) {
    if (Array.isArray(pkg.sources)) problems.push(...pkg.sources.flatMap(checkSource));
    else problems.push('pkg.sources must be a list');
  }
  if (
    pkg.depends !== undefined &&
    !(Array.isArray(pkg.depends) && pkg.depends.every((dep) => typeof dep === 'string'))
  ) {
    problems.push('pkg.depends must be a list of recipe names');
  }
  for (const step of ['acquire', 'install'] as const) {
    if (typeof module[step] !== 'function') problems.push(`it must export a function \`${step}\``);
  }
  if (module.build !== undefined && typeof module.build !== 'function') {
    problems.push('`build`, when exported, must be a function');
  }
  return problems;
}

/**
 * Reads `<recipesDir>/<name>.recipe.js`, imports it and checks its exports. A recipe marked
 * as a draft is read but not imported: nothing of it runs.
 */
export async function loadRecipe(recipesDir: string, name: string): Promise<LoadedRecipe> {
  if (!NAME.test(name)) {
    throw new RecipeError(name, 'load', 'not a recipe name', {
      hint: 'recipe names are lowercase letters, digits and ._+-',
    });
  }
  const file = recipeFile(recipesDir, name);
  const text = await readFile(file).catch((error: unknown) => {
    throw new RecipeError(name, 'load', `cannot read ${file}: ${messageOf(error)}`, {
      hint: `write the recipe as ${file}, or name its folder with --recipes`,
      cause: error,
    });
  });
  const sha256 = createHash('sha256').update(text).digest('hex');
  const draft = DRAFT_MARK.test(text.toString('utf8'));
  if (draft) return { name, file, sha256, draft, module: {} as RecipeModule };
  const module = (await import(moduleUrl(text)).catch((error: unknown) => {
    throw new RecipeError(name, 'load', `${file} does not load: ${messageOf(error)}`, {
      hint: 'a recipe is a JavaScript ES module; run `node --check` on it to see the mistake',
      cause: error,
    });
  })) as Partial<RecipeModule>;
  const problems = recipeProblems(name, module);
  if (problems.length > 0) {
    throw new RecipeError(name, 'load', `${file}: ${problems.join('; ')}`, {
      hint: 'see recipe-api.d.ts for what a recipe exports',
    });
  }
  return { name, file, sha256, draft, module: module as RecipeModule };
}

/**
 * The recipe's bytes as a `data:` URL, which Node.js always loads as an ES module, whatever
 * package.json (if any) sits above the recipes folder, and on Node.js 18, which does not
 * detect module syntax in a `.js` file. What runs is exactly what was hashed, and an edited
 * recipe is a new URL, so a long-running process loads it afresh. A recipe is one module: it
 * may import Node.js's own modules (`node:fs`), not files beside it.
 */
function moduleUrl(text: Buffer): string {
  return `data:text/javascript;base64,${text.toString('base64')}`;
}

/** The draft mark stops a recipe from running until someone has read it and removed the mark. */
export function refuseDraft(recipe: LoadedRecipe): void {
  if (recipe.draft) {
    throw new RecipeError(recipe.name, 'load', `${recipe.file} is marked as a draft`, {
      hint: 'read it, fix what is wrong, then delete its `// @recipe-draft` line',
    });
  }
}
