import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the recipe API and its examples (`recipe-api.d.ts`, `examples/…`): where the
 * image keeps them, `$RECIPE_SHARE` (/usr/share/recipe), or beside this module in the sources.
 */
export function sharedFolder(): string {
  return process.env['RECIPE_SHARE'] ?? fileURLToPath(new URL('.', import.meta.url));
}

/** A file of the shared folder, by its name inside it. */
export async function readShared(name: string): Promise<string> {
  return readFile(join(sharedFolder(), name), 'utf8');
}
