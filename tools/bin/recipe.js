#!/usr/bin/env node
// recipe: installs software from recipes the user writes (`recipe install|remove|upgrade|list|info|verify`).
import { launch } from '../src/launcher/launch.js';

await launch({
  command: 'recipe',
  project: 'tools',
  bundle: new URL('../dist/recipe/recipe.js', import.meta.url),
  sources: new URL('../src/recipe/recipe-cli.ts', import.meta.url),
});
