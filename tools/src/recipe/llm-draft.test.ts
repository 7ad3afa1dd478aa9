import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { installRecipe } from './install-recipe.ts';
import { recipeFile } from './load-recipe.ts';
import { createRecipeProgram } from './recipe-cli.ts';
import { recipeWorld } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that answers with recorded
 * answers, one per request, and keeps what it was asked.
 */
async function modelServer(answers: string[]): Promise<{
  endpoint: string;
  asked: { model: string; messages: { role: string; content: string }[] }[];
  close: () => Promise<void>;
}> {
  const asked: { model: string; messages: { role: string; content: string }[] }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404).end();
        return;
      }
      asked.push(JSON.parse(body) as (typeof asked)[number]);
      const content = answers.shift() ?? '';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content } }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const HTOP_ANSWER = `Here is a recipe for htop:

\`\`\`js
export const pkg = {
  name: 'htop',
  version: '3.3.0',
  sources: [{ url: 'https://github.com/htop-dev/htop/releases/download/3.3.0/htop-3.3.0.tar.xz', sha256: '${'0'.repeat(64)}' }],
};
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function build(ctx) {
  await ctx.extract('tar.xz');
  await ctx.shell('./configure --prefix=/usr/local && make', { cwd: 'htop-3.3.0' });
}
export async function install(ctx) { await ctx.installBin('htop-3.3.0/htop'); }
\`\`\`
Review the checksum before installing.`;

let world: RecipeWorld;
beforeEach(() => {
  world = recipeWorld('llm');
});
afterEach(() => world.cleanup());

async function llm(endpoint: string, ...words: string[]) {
  let out = '';
  const status = await runCli(
    createRecipeProgram((text) => (out += text)),
    [
      'node',
      'recipe',
      '--root',
      world.root,
      '--log-format',
      'plain',
      'llm',
      '--endpoint',
      endpoint,
      ...words,
    ],
  );
  return { status, out };
}

describe('recipe llm', () => {
  it('drafts a recipe from the model, gives it the API and two examples, and saves it as a draft that install refuses', async () => {
    const server = await modelServer([HTOP_ANSWER]);
    try {
      const { status, out } = await llm(server.endpoint, 'create a recipe for htop');
      expect(status).toBe(0);
      expect(out).toContain('Review and run: recipe install htop');
      const system = server.asked[0]?.messages[0]?.content ?? '';
      expect(system).toContain('export interface RecipeContext');
      expect(system).toContain("name: 'ripgrep'");
      expect(system).toContain("name: 'zstd'");
      expect(server.asked[0]?.messages[1]).toEqual({
        role: 'user',
        content: 'create a recipe for htop',
      });

      const saved = readFileSync(recipeFile(world.recipesDir, 'htop'), 'utf8');
      expect(saved.split('\n')[0]).toMatch(/^\/\/ @recipe-draft: drafted by `recipe llm`/);
      expect(saved).toContain(
        "export async function install(ctx) { await ctx.installBin('htop-3.3.0/htop'); }",
      );
      await expect(installRecipe(world.settings, 'htop', 'install')).rejects.toThrow(
        /marked as a draft/,
      );
    } finally {
      await server.close();
    }
  });

  it('saves nothing when the answer is not a usable recipe, and never replaces a reviewed one', async () => {
    const server = await modelServer([
      'I cannot help with that.',
      '```js\nexport const pkg = { name: "htop", version: "1" };\nexport async function acquire(ctx) {\nexport async function install(ctx) {}\n```',
      HTOP_ANSWER,
    ]);
    try {
      expect((await llm(server.endpoint, 'htop')).status).not.toBe(0);
      expect((await llm(server.endpoint, 'htop')).status).not.toBe(0);
      expect(() => readFileSync(recipeFile(world.recipesDir, 'htop'))).toThrow();
      writeFileSync(
        recipeFile(world.recipesDir, 'htop'),
        "export const pkg = { name: 'htop', version: '1' };\nexport async function acquire() {}\nexport async function install() {}\n",
      );
      const before = readFileSync(recipeFile(world.recipesDir, 'htop'), 'utf8');
      expect((await llm(server.endpoint, 'htop')).status).not.toBe(0);
      expect(readFileSync(recipeFile(world.recipesDir, 'htop'), 'utf8')).toBe(before);
    } finally {
      await server.close();
    }
  });

  it('names the endpoint when no server answers', async () => {
    const server = await modelServer([]);
    const { endpoint } = server;
    await server.close();
    const { draftRecipe } = await import('./llm-draft.ts');
    await expect(
      draftRecipe({
        prompt: 'htop',
        endpoint,
        recipesDir: world.recipesDir,
        runner: world.settings.runner,
      }),
    ).rejects.toThrow(`no model server answers at ${endpoint}/v1/chat/completions`);
  });
});
