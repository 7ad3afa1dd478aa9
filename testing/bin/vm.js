#!/usr/bin/env node
// Runs the TypeScript sources directly, wherever the command is started from.
import { register } from 'tsx/esm/api';

register();
const { vmMain } = await import('../src/qemu/vm-cli.ts');
process.exitCode = await vmMain(process.argv);
