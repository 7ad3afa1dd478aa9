import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_LOG } from './audit-log.ts';
import { installRecipe } from './install-recipe.ts';
import { RecipeError } from './recipe-errors.ts';
import { readState, stateFile } from './recipe-state.ts';
import { makeArchive, recipeWorld, snapshot, writeRecipe } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';
import { removeRecipe } from './remove-recipe.ts';
import { verifyState } from './verify-recipes.ts';

let world: RecipeWorld;
beforeEach(() => {
  world = recipeWorld('install');
});
afterEach(() => world.cleanup());

const HELLO_FILES = {
  'bin/hello': '#!/bin/sh\necho hello\n',
  'hello.1': '.TH HELLO 1\n',
};

/** The recipe users write: download, extract, a build step in the sandbox, install helpers. */
function helloRecipe(
  source: { url: string; sha256: string },
  options: { version?: string; extra?: string; installThrows?: boolean } = {},
): string {
  return `export const pkg = {
  name: 'hello',
  version: '${options.version ?? '1.0'}',
  description: 'says hello',
  license: 'MIT',
  sources: [{ url: '${source.url}', sha256: '${source.sha256}' }],
};
export async function acquire(ctx) {
  await ctx.download(pkg.sources[0]);
}
export async function build(ctx) {
  await ctx.extract('tar.gz');
  await ctx.shell('id -u > who; tail -n +3 /proc/net/dev | wc -l > interfaces; echo "$SOURCE_DATE_EPOCH" > epoch');
}
export async function install(ctx) {
  await ctx.installBin('bin/hello');
  await ctx.installMan('hello.1');
  for (const name of ['who', 'interfaces', 'epoch']) {
    await ctx.installFile(name, '/usr/local/share/hello/' + name);
  }
  ${options.extra ?? ''}
  ${options.installThrows === true ? "throw new Error('the install step broke');" : ''}
}
`;
}

function auditLines(): { action: string; recipe: string; outcome: string }[] {
  return readFileSync(join(world.recipesDir, AUDIT_LOG), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { action: string; recipe: string; outcome: string });
}

describe('recipe install', () => {
  it.each(['tar.xz', 'tar.zst', 'zip'] as const)(
    'extracts a %s release as the build user',
    async (kind) => {
      const tarball = makeArchive(world.dir, `hello-${kind}`, HELLO_FILES, kind);
      writeRecipe(
        world.recipesDir,
        'hello',
        `export const pkg = { name: 'hello', version: '1.0', sources: [{ url: '${tarball.url}', sha256: '${tarball.sha256}' }] };
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function install(ctx) { await ctx.extract('${kind}', undefined, 'unpacked/here'); await ctx.installBin('unpacked/here/bin/hello'); }
`,
      );
      const [result] = await installRecipe(world.settings, 'hello', 'install');
      expect(result?.outcome).toBe('installed');
      expect(readFileSync(join(world.root, 'usr/local/bin/hello'), 'utf8')).toBe(
        HELLO_FILES['bin/hello'],
      );
    },
  );

  it('builds as the unprivileged build user without network, installs, and records state and audit', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball));
    const [result] = await installRecipe(world.settings, 'hello', 'install');
    expect(result?.outcome).toBe('installed');

    const bin = join(world.root, 'usr/local/bin/hello');
    expect(readFileSync(bin, 'utf8')).toBe(HELLO_FILES['bin/hello']);
    expect(statSync(bin).mode & 0o7777).toBe(0o755);
    expect(existsSync(join(world.root, 'usr/local/share/man/man1/hello.1'))).toBe(true);
    const share = (name: string) =>
      readFileSync(join(world.root, 'usr/local/share/hello', name), 'utf8').trim();
    if (process.getuid?.() === 0) expect(share('who')).toBe('65534');
    expect(share('interfaces')).toBe('1'); // loopback only: a network namespace of its own
    expect(share('epoch')).toBe('1700000000');

    const state = await readState(world.recipesDir, 'hello');
    expect(state?.version).toBe('1.0');
    expect(state?.sources).toEqual([{ url: tarball.url, sha256: tarball.sha256 }]);
    expect(state?.files.map((file) => file.path)).toContain('/usr/local/bin/hello');
    expect(state?.dirs).toContain('/usr/local/share/hello');
    expect(state && (await verifyState(world.root, state))).toEqual([]);
    expect(auditLines()).toMatchObject([{ action: 'install', recipe: 'hello', outcome: 'done' }]);
    // Nothing is left in the scratch folder, and the second install changes nothing.
    expect(readdirSync(world.workDir)).toEqual([]);
    const [again] = await installRecipe(world.settings, 'hello', 'install');
    expect(again?.outcome).toBe('up to date');
  });

  it('changes nothing when a source does not match its SHA-256, and says which recipe and step', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(world.recipesDir, 'hello', helloRecipe({ ...tarball, sha256: '0'.repeat(64) }));
    const before = snapshot(world.root);
    const error = await installRecipe(world.settings, 'hello', 'install').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipeError);
    expect((error as RecipeError).step).toBe('acquire');
    expect((error as Error).message).toMatch(/^hello: acquire: .*hello-1\.0\.tar\.gz/);
    const after = snapshot(world.root).filter((line) => !line.includes(`/${AUDIT_LOG} `));
    expect(after).toEqual(before);
    expect(auditLines()).toMatchObject([{ action: 'install', outcome: 'failed' }]);
    expect(readdirSync(world.workDir)).toEqual([]);
  });

  it('leaves the installed version and its state as they were when the new one throws', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball));
    await installRecipe(world.settings, 'hello', 'install');
    const state = readFileSync(stateFile(world.recipesDir, 'hello'));
    const before = snapshot(world.root).filter((line) => !line.includes(`/${AUDIT_LOG} `));
    writeRecipe(
      world.recipesDir,
      'hello',
      helloRecipe(tarball, { version: '1.1', installThrows: true }),
    );
    await expect(installRecipe(world.settings, 'hello', 'upgrade')).rejects.toThrow(
      'hello: install: the install step broke',
    );
    const after = snapshot(world.root).filter(
      (line) => !line.includes(`/${AUDIT_LOG} `) && !line.includes('hello.recipe.js'),
    );
    expect(after).toEqual(before.filter((line) => !line.includes('hello.recipe.js')));
    expect(readFileSync(stateFile(world.recipesDir, 'hello'))).toEqual(state);
  });

  it('refuses to overwrite a file no recipe installed, and a file another recipe holds', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeFileSync(join(world.root, 'usr/local/bin/hello'), 'mine\n');
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball));
    const before = snapshot(world.root);
    await expect(installRecipe(world.settings, 'hello', 'install')).rejects.toThrow(
      /apply: would overwrite: \/usr\/local\/bin\/hello is there and no recipe installed it/,
    );
    expect(snapshot(world.root).filter((line) => !line.includes(`/${AUDIT_LOG} `))).toEqual(before);
  });

  it('upgrades: replaces what changed, deletes what the new version dropped, then removes cleanly', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(
      world.recipesDir,
      'hello',
      helloRecipe(tarball, {
        extra: "await ctx.installFile('who', '/usr/local/share/hello-old/who');",
      }),
    );
    await installRecipe(world.settings, 'hello', 'install');
    expect(existsSync(join(world.root, 'usr/local/share/hello-old/who'))).toBe(true);
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball, { version: '2.0' }));
    const [upgraded] = await installRecipe(world.settings, 'hello', 'upgrade');
    expect(upgraded?.outcome).toBe('upgraded');
    expect(existsSync(join(world.root, 'usr/local/share/hello-old/who'))).toBe(false);
    expect((await readState(world.recipesDir, 'hello'))?.version).toBe('2.0');

    await removeRecipe(world.settings, 'hello');
    expect(existsSync(join(world.root, 'usr/local/bin/hello'))).toBe(false);
    expect(existsSync(join(world.root, 'usr/local/share/hello'))).toBe(false);
    expect(existsSync(join(world.root, 'usr/local/bin'))).toBe(true);
    expect(await readState(world.recipesDir, 'hello')).toBeUndefined();
    expect(auditLines().map((line) => `${line.action} ${line.outcome}`)).toEqual([
      'install done',
      'upgrade done',
      'remove done',
    ]);
  });

  it('installs dependencies first and will not remove a recipe another one needs', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball));
    writeRecipe(
      world.recipesDir,
      'greeter',
      `export const pkg = { name: 'greeter', version: '1', depends: ['hello'] };
export async function acquire() {}
export async function install(ctx) {
  await ctx.shell(['sh', '-c', 'printf "#!/bin/sh\\\\nhello\\\\n" > greet']);
  await ctx.installBin('greet');
}
`,
    );
    const results = await installRecipe(world.settings, 'greeter', 'install');
    expect(results.map((result) => `${result.recipe} ${result.outcome}`)).toEqual([
      'hello installed',
      'greeter installed',
    ]);
    await expect(removeRecipe(world.settings, 'hello')).rejects.toThrow(/greeter depends on it/);
  });

  it('verify reports a changed file and a changed mode', async () => {
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball));
    await installRecipe(world.settings, 'hello', 'install');
    writeFileSync(join(world.root, 'usr/local/bin/hello'), '#!/bin/sh\necho tampered\n');
    const state = await readState(world.recipesDir, 'hello');
    expect(state && (await verifyState(world.root, state))).toEqual([
      { recipe: 'hello', path: '/usr/local/bin/hello', problem: 'content changed' },
    ]);
  });

  it('will not write through a symbolic link the build put in $OUT', async () => {
    const outside = join(world.dir, 'outside');
    mkdirSync(outside, { mode: 0o777 });
    const tarball = makeArchive(world.dir, 'hello-1.0', HELLO_FILES);
    writeRecipe(
      world.recipesDir,
      'hello',
      `export const pkg = { name: 'hello', version: '1', sources: [{ url: '${tarball.url}', sha256: '${tarball.sha256}' }] };
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function install(ctx) {
  await ctx.extract('tar.gz');
  await ctx.shell('ln -s ${outside} "$OUT/usr"');
  await ctx.installBin('bin/hello');
}
`,
    );
    await expect(installRecipe(world.settings, 'hello', 'install')).rejects.toThrow(
      /usr in \$OUT is not a folder/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('leaves no process of the build running once its command has ended', async () => {
    const escaped = join(tmpdir(), `recipe-escaped-${process.pid}-${Date.now()}`);
    writeRecipe(
      world.recipesDir,
      'lingering',
      `export const pkg = { name: 'lingering', version: '1' };
export async function acquire() {}
export async function install(ctx) {
  await ctx.shell('(sleep 1; touch ${escaped}) >/dev/null 2>&1 & echo started');
}
`,
    );
    await installRecipe(world.settings, 'lingering', 'install');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(existsSync(escaped)).toBe(false);
  });
});
