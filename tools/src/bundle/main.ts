/**
 * `tsx tools/src/bundle/main.ts --out <dir> <name>=<entry>`: compiles a command into a bundle
 * (the `bundle` nx targets). Paths are relative to the working folder.
 */
import { parseArgs } from 'node:util';
import { WORKSPACE_ROOT } from '../workspace/root.ts';
import { bundleCommand } from './bundle.ts';

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' } },
  allowPositionals: true,
});
if (values.out === undefined || positionals.length !== 1) {
  throw new Error('usage: bundle --out <dir> <name>=<entry>');
}
const [name, entry] = (positionals[0] ?? '').split('=');
if (name === undefined || entry === undefined || name === '' || entry === '') {
  throw new Error(`a bundle is given as <name>=<entry>: ${positionals[0] ?? ''}`);
}
const { bundle } = await bundleCommand({
  name,
  entry,
  outDir: values.out,
  workspaceRoot: WORKSPACE_ROOT,
});
console.log(`bundled ${entry} into ${bundle}`);
