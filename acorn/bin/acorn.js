#!/usr/bin/env node
// acorn: runs the bundle that `npx nx run acorn:bundle` compiles, or the sources without one.
import { launch } from '@levitate/tools/launcher';

await launch({
  command: 'acorn',
  project: 'acorn',
  bundle: new URL('../dist/acorn.js', import.meta.url),
  sources: new URL('../src/main.ts', import.meta.url),
});
