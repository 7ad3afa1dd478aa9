#!/usr/bin/env node
// leviso: runs the bundle that `npx nx run leviso:bundle` compiles, or the sources without one.
import { launch } from '@levitate/tools/launcher';

await launch({
  command: 'leviso',
  project: 'leviso',
  bundle: new URL('../dist/leviso.js', import.meta.url),
  sources: new URL('../src/main.ts', import.meta.url),
});
