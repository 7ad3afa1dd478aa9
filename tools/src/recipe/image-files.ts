import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WORKSPACE_ROOT } from '../workspace/root.ts';

/** Where the image keeps the recipe API and the example recipes (`recipe llm` reads them). */
export const RECIPE_SHARE_DIR = '/usr/share/recipe';
export const RECIPE_BIN = '/usr/bin/recipe';
/** The module itself: `.mjs`, since Node.js 18 reads an extensionless script as CommonJS. */
export const RECIPE_MODULE = '/usr/lib/recipe/recipe.mjs';
/** The recipes folder `recipe` reads by default: inside the slot, so it travels with it. */
export const RECIPES_DIR = '/etc/recipes';
/** The oldest Node.js the bundle runs on: Debian 12's, which the fixture repositories carry. */
const NODE_TARGET = 'node18';

export interface ImageFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly mode: number;
}

const SHARED = ['recipe-api.d.ts', 'examples/ripgrep.recipe.js', 'examples/zstd.recipe.js'];

/**
 * `recipe` as the images carry it: one JavaScript module compiled from the sources with esbuild
 * (the same bytes for the same sources), the command that runs it with the image's Node.js,
 * and the files `recipe llm` gives a model, under /usr/share/recipe.
 */
export async function recipeImageFiles(): Promise<ImageFile[]> {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: WORKSPACE_ROOT,
    entryPoints: [fileURLToPath(new URL('./recipe-main.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: NODE_TARGET,
    legalComments: 'inline',
    logLevel: 'warning',
    banner: {
      js: [
        "import { createRequire as __recipeRequire } from 'node:module';",
        `const require = __recipeRequire(${JSON.stringify(RECIPE_MODULE)});`,
        `process.env.RECIPE_SHARE ??= ${JSON.stringify(RECIPE_SHARE_DIR)};`,
      ].join('\n'),
    },
  });
  const bundle = result.outputFiles[0];
  if (bundle === undefined) throw new Error('esbuild wrote no recipe bundle');
  const shared = await Promise.all(
    SHARED.map(async (name) => ({
      path: `${RECIPE_SHARE_DIR}/${name}`,
      bytes: new Uint8Array(await readFile(new URL(`./${name}`, import.meta.url))),
      mode: 0o644,
    })),
  );
  const command = `#!/bin/sh\nexec node ${RECIPE_MODULE} "$@"\n`;
  return [
    { path: RECIPE_BIN, bytes: new TextEncoder().encode(command), mode: 0o755 },
    { path: RECIPE_MODULE, bytes: bundle.contents, mode: 0o644 },
    ...shared,
  ];
}
