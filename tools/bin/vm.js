#!/usr/bin/env node
// vm: a QEMU machine in the background, for people (`npx vm start|log|send|stop`).
import { launch } from '../src/launcher/launch.js';

await launch({
  command: 'vm',
  project: 'tools',
  bundle: new URL('../dist/vm/vm.js', import.meta.url),
  sources: new URL('../src/qemu/vm-cli.ts', import.meta.url),
});
