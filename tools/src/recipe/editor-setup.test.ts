import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EDITOR_CONFIG_FILE, RECIPE_API_FILE, setUpRecipesForEditors } from './editor-setup.ts';
import { loadRecipe } from './load-recipe.ts';

const EXAMPLES = ['ripgrep', 'zstd'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'recipe-editor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What an editor's TypeScript service reports for the folder, as `file:line: message`. */
function editorDiagnostics(folder: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(folder, EDITOR_CONFIG_FILE), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error('jsconfig.json was not read');
  expect(parsed.errors).toEqual([]);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName.slice(folder.length + 1)}:${line + 1}: ${message}`;
  });
}

function copyExamples(folder: string): void {
  for (const name of EXAMPLES) {
    const file = `${name}.recipe.js`;
    copyFileSync(new URL(`./examples/${file}`, import.meta.url), join(folder, file));
  }
}

describe('recipe init: the recipes folder checks itself in an editor', () => {
  it('writes the API and a jsconfig.json, refreshes the API and keeps an edited jsconfig.json', async () => {
    expect(await setUpRecipesForEditors(dir)).toEqual({
      written: [RECIPE_API_FILE, EDITOR_CONFIG_FILE],
      kept: [],
    });
    const api = readFileSync(new URL(`./${RECIPE_API_FILE}`, import.meta.url), 'utf8');
    expect(readFileSync(join(dir, RECIPE_API_FILE), 'utf8')).toBe(api);

    writeFileSync(join(dir, RECIPE_API_FILE), '// an older API\n');
    const edited = '{ "compilerOptions": { "checkJs": true }, "include": ["*.recipe.js"] }\n';
    writeFileSync(join(dir, EDITOR_CONFIG_FILE), edited);
    expect(await setUpRecipesForEditors(dir)).toEqual({
      written: [RECIPE_API_FILE],
      kept: [EDITOR_CONFIG_FILE],
    });
    expect(readFileSync(join(dir, RECIPE_API_FILE), 'utf8')).toBe(api);
    expect(readFileSync(join(dir, EDITOR_CONFIG_FILE), 'utf8')).toBe(edited);
  });

  it('passes the example recipes, which still load as recipes', async () => {
    await setUpRecipesForEditors(dir);
    copyExamples(dir);
    expect(editorDiagnostics(dir)).toEqual([]);
    for (const name of EXAMPLES) {
      expect((await loadRecipe(dir, name)).module.pkg.name).toBe(name);
    }
  });

  it('reports a misspelt helper, a wrong archive kind and a package without its version', async () => {
    await setUpRecipesForEditors(dir);
    writeFileSync(
      join(dir, 'broken.recipe.js'),
      `// @ts-check
/** @typedef {import('./recipe-api').RecipeContext} RecipeContext */

/** @satisfies {import('./recipe-api').RecipePackage} */
export const pkg = { name: 'broken', sources: [] };

/** @param {RecipeContext} ctx */
export async function acquire(ctx) { await ctx.extract('rar'); }

/** @param {RecipeContext} ctx */
export async function install(ctx) { await ctx.instalBin('broken'); }
`,
    );
    const found = editorDiagnostics(dir);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^broken\.recipe\.js:4: .*'version'/);
    expect(found[1]).toMatch(/^broken\.recipe\.js:8: .*"rar"/);
    expect(found[2]).toMatch(/^broken\.recipe\.js:11: .*'instalBin'.*'installBin'/);
  });
});
