import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleState, sourcesFileOf } from './launch.js';

const LAUNCHER = pathToFileURL(join(import.meta.dirname, 'launch.js')).href;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'launch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A bundle built from `source.ts` (holding "1") at time 1000 s, both in `dir`. */
async function builtBundle(): Promise<{ bundle: string; source: string }> {
  const bundle = join(dir, 'bundle.js');
  const source = join(dir, 'source.ts');
  await writeFile(source, '1');
  await writeFile(bundle, 'export const main = async () => 0;\n');
  await writeFile(
    sourcesFileOf(bundle),
    JSON.stringify({ sources: { 'source.ts': createHash('sha256').update('1').digest('hex') } }),
  );
  await utimes(source, 1000, 1000);
  await utimes(bundle, 1000, 1000);
  return { bundle, source };
}

describe('the bundle', () => {
  it('is current while no source is newer or different', async () => {
    const { bundle, source } = await builtBundle();
    expect(bundleState(bundle)).toBe('current');
    await utimes(source, 2000, 2000);
    expect(bundleState(bundle)).toBe('current');
  });

  it('is stale once a source has changed or gone', async () => {
    const { bundle, source } = await builtBundle();
    await writeFile(source, '2');
    expect(bundleState(bundle)).toBe('stale');
    await rm(source);
    expect(bundleState(bundle)).toBe('stale');
  });

  it('is missing without the bundle or without its list of sources', async () => {
    const { bundle } = await builtBundle();
    await rm(sourcesFileOf(bundle));
    expect(bundleState(bundle)).toBe('missing');
    await rm(bundle);
    expect(bundleState(bundle)).toBe('missing');
  });
});

describe('launching without a bundle', () => {
  it('says so on one line and runs the TypeScript sources', async () => {
    const source = join(dir, 'main.mts');
    await writeFile(
      source,
      'export async function main(argv: readonly string[]): Promise<number> {\n' +
        '  process.stdout.write(`ran ${argv.slice(2).join(" ")}\\n`);\n  return 3;\n}\n',
    );
    const script = [
      `import { launch } from ${JSON.stringify(LAUNCHER)};`,
      'await launch({ command: "demo", project: "demo",',
      `  bundle: new URL(${JSON.stringify(pathToFileURL(join(dir, 'missing.js')).href)}),`,
      `  sources: new URL(${JSON.stringify(pathToFileURL(source).href)}) });`,
    ].join('\n');
    const run = promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, 'x', 'y'],
      { cwd: dir },
    );
    await expect(run).rejects.toMatchObject({
      code: 3,
      stdout: 'ran y\n',
      stderr: 'demo: no bundle; running from sources (npx nx run demo:bundle to compile)\n',
    });
  });
});

describe('launching a current bundle', () => {
  it('runs it and names it to the code inside, which keeps results per build', async () => {
    const { bundle } = await builtBundle();
    await writeFile(
      bundle,
      'export const main = async () => {\n' +
        '  process.stdout.write(String(globalThis[Symbol.for("levitate.running-bundle")]));\n' +
        '  return 0;\n};\n',
    );
    await utimes(bundle, 1000, 1000);
    const script = [
      `import { launch } from ${JSON.stringify(LAUNCHER)};`,
      'await launch({ command: "demo", project: "demo",',
      `  bundle: new URL(${JSON.stringify(pathToFileURL(bundle).href)}),`,
      `  sources: new URL(${JSON.stringify(pathToFileURL(join(dir, 'source.ts')).href)}) });`,
    ].join('\n');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: dir },
    );
    expect(stderr).toBe('');
    expect(stdout).toBe(bundle);
  });
});
