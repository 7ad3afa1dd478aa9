#!/usr/bin/env node
// iuppiter: runs the bundle that `npx nx run iuppiter:bundle` compiles, or the sources without one.
import { launch } from '@levitate/tools/launcher';

await launch({
  command: 'iuppiter',
  project: 'iuppiter',
  bundle: new URL('../dist/iuppiter.js', import.meta.url),
  sources: new URL('../src/main.ts', import.meta.url),
});
