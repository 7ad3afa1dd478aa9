import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A file of the recipe API and its examples (`recipe-api.d.ts`, `examples/…`): beside this
 * module in the sources, or under `$RECIPE_SHARE` (/usr/share/recipe) where the image keeps
 * them.
 */
export async function readShared(name: string): Promise<string> {
  const share = process.env['RECIPE_SHARE'];
  return readFile(share === undefined ? new URL(name, import.meta.url) : join(share, name), 'utf8');
}
