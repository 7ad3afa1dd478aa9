#!/usr/bin/env node
// Runs the TypeScript sources directly, wherever the command is started from.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
