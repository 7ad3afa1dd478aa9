export { createProgram } from './cli.ts';
export { main } from './main.ts';
