import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { startTestServer } from '../fetch/test-server.ts';
import type { TestServer } from '../fetch/test-server.ts';
import { createRecipeProgram } from './recipe-cli.ts';
import { makeArchive, recipeWorld, writeRecipe } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';

let world: RecipeWorld;
let server: TestServer;
beforeEach(async () => {
  world = recipeWorld('cli');
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
  world.cleanup();
});

async function recipe(...args: string[]): Promise<{ status: number; out: string }> {
  let out = '';
  const program = createRecipeProgram((text) => {
    out += text;
  });
  const status = await runCli(program, [
    'node',
    'recipe',
    '--root',
    world.root,
    '--cache',
    join(world.dir, 'cache'),
    '--work',
    world.workDir,
    '--log-format',
    'plain',
    ...args,
  ]);
  return { status, out };
}

describe('the recipe command', () => {
  it('downloads over HTTP from a mirror when the URL fails, installs, lists, verifies and removes', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', { hello: '#!/bin/sh\necho hello\n' });
    server.serve('/mirror/hello-1.0.tar.gz', { body: readFileSync(tarball.file) });
    writeRecipe(
      world.recipesDir,
      'hello',
      `export const pkg = {
  name: 'hello', version: '1.0',
  sources: [{ url: '${server.url('/gone/hello-1.0.tar.gz')}', sha256: '${tarball.sha256}', mirrors: ['${server.url('/mirror')}'] }],
};
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function install(ctx) { await ctx.extract('tar.gz'); await ctx.installBin('hello'); }
`,
    );
    expect(await recipe('install', 'hello')).toEqual({
      status: 0,
      out: 'installed hello 1.0: 1 files\n',
    });
    expect(server.requestsFor('/gone/hello-1.0.tar.gz').map((r) => r.status)).toEqual([404]);
    expect(readFileSync(join(world.root, 'usr/local/bin/hello'), 'utf8')).toContain('echo hello');

    expect((await recipe('list')).out).toBe('hello  installed 1.0  recipe 1.0\n');
    expect((await recipe('info', 'hello')).out).toContain('  /usr/local/bin/hello\n');
    expect(await recipe('verify')).toEqual({
      status: 0,
      out: '1 recipe verified: every file is as installed\n',
    });
    writeFileSync(join(world.root, 'usr/local/bin/hello'), 'changed\n');
    expect(await recipe('verify', 'hello')).toEqual({
      status: 1,
      out: 'hello: /usr/local/bin/hello: content changed\n',
    });
    expect(await recipe('remove', 'hello')).toEqual({ status: 0, out: 'removed hello 1.0\n' });
    expect((await recipe('list')).out).toBe('hello  not installed  recipe 1.0\n');
  });

  it('exits non-zero with the recipe and step named when a recipe fails', async () => {
    writeRecipe(
      world.recipesDir,
      'broken',
      `export const pkg = { name: 'broken', version: '1' };
export async function acquire() {}
export async function install(ctx) { await ctx.shell('exit 3'); }
`,
    );
    const { status } = await recipe('install', 'broken');
    expect(status).not.toBe(0);
    const audit = readFileSync(join(world.recipesDir, 'audit.log'), 'utf8');
    expect(audit).toContain('"recipe":"broken"');
    expect(audit).toContain('"outcome":"failed"');
  });

  it('init sets the recipes folder up for editors, and says so', async () => {
    const { status, out } = await recipe('--recipes', world.recipesDir, 'init');
    expect(status).toBe(0);
    expect(out.split('\n').slice(0, 2)).toEqual([
      `wrote ${join(world.recipesDir, 'recipe-api.d.ts')}`,
      `wrote ${join(world.recipesDir, 'jsconfig.json')}`,
    ]);
    expect(JSON.parse(readFileSync(join(world.recipesDir, 'jsconfig.json'), 'utf8'))).toMatchObject(
      {
        compilerOptions: { checkJs: true },
      },
    );
    expect((await recipe('--recipes', world.recipesDir, 'init')).out).toContain(
      `kept ${join(world.recipesDir, 'jsconfig.json')} as it was`,
    );
  });
});
