import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRecipe, refuseDraft } from './load-recipe.ts';
import { RecipeError } from './recipe-errors.ts';
import { recipeWorld, writeRecipe } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';

let world: RecipeWorld;
beforeEach(() => {
  world = recipeWorld('load');
});
afterEach(() => world.cleanup());

const SHA = 'a'.repeat(64);

describe('loadRecipe', () => {
  it('imports a recipe and records the digest of its file', async () => {
    writeRecipe(
      world.recipesDir,
      'hello',
      `export const pkg = { name: 'hello', version: '1.0', sources: [{ url: 'https://example.org/hello.tar.gz', sha256: '${SHA}' }] };
export async function acquire(ctx) {}
export async function install(ctx) {}
`,
    );
    const recipe = await loadRecipe(world.recipesDir, 'hello');
    expect(recipe.draft).toBe(false);
    expect(recipe.module.pkg.version).toBe('1.0');
    expect(recipe.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads a recipe as an ES module even under a CommonJS package.json, with Node.js modules', async () => {
    writeFileSync(join(world.dir, 'package.json'), '{ "type": "commonjs" }\n');
    writeRecipe(
      world.recipesDir,
      'joined',
      `import { join } from 'node:path';
export const pkg = { name: 'joined', version: join('1', '0').replace('/', '.') };
export async function acquire(ctx) {}
export async function install(ctx) { throw new Error('installing joined'); }
`,
    );
    const recipe = await loadRecipe(world.recipesDir, 'joined');
    expect(recipe.module.pkg.version).toBe('1.0');
    const failure = await recipe.module.install({} as never).catch((error: Error) => error);
    expect((failure as Error).message).toBe('installing joined');
  });

  it('never runs a draft: its module is not even imported, and installing it is refused', async () => {
    const marker = join(world.dir, 'ran');
    writeRecipe(
      world.recipesDir,
      'drafted',
      `// @recipe-draft: written by recipe llm; review it, then delete this line
import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
export const pkg = { name: 'drafted', version: '1' };
export async function acquire() {}
export async function install() {}
`,
    );
    const recipe = await loadRecipe(world.recipesDir, 'drafted');
    expect(recipe.draft).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(() => refuseDraft(recipe)).toThrow(/marked as a draft/);
  });

  it('lists every problem with the exports at once, naming the file', async () => {
    const file = writeRecipe(
      world.recipesDir,
      'broken',
      `export const pkg = { name: 'other', version: '1 0', sources: [{ url: 'ftp://x/y', sha256: 'short' }] };
export const build = 'not a function';
`,
    );
    const error = await loadRecipe(world.recipesDir, 'broken').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RecipeError);
    const message = (error as Error).message;
    for (const expected of [
      file,
      'pkg.name must be "broken"',
      'pkg.version',
      'pkg.sources[0].url',
      'pkg.sources[0].sha256',
      '`acquire`',
      '`install`',
      '`build`',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('says which file does not parse, and refuses names that are not recipe names', async () => {
    const file = writeRecipe(world.recipesDir, 'typo', 'export const pkg = {;\n');
    await expect(loadRecipe(world.recipesDir, 'typo')).rejects.toThrow(file);
    await expect(loadRecipe(world.recipesDir, '../etc/passwd')).rejects.toThrow(
      /not a recipe name/,
    );
    await expect(loadRecipe(world.recipesDir, 'absent')).rejects.toThrow(/cannot read/);
  });

  it('loads the example recipes the assistant is shown', async () => {
    for (const name of ['ripgrep', 'zstd']) {
      copyFileSync(
        new URL(`./examples/${name}.recipe.js`, import.meta.url),
        join(world.recipesDir, `${name}.recipe.js`),
      );
      const recipe = await loadRecipe(world.recipesDir, name);
      expect(recipe.module.pkg.sources?.length).toBe(1);
    }
  });
});
