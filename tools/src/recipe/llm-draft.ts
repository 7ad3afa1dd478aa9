import { writeFileAtomic } from '../core/atomic-file.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError, messageOf } from '../core/errors.ts';
import type { Runner } from '../core/run.ts';
import { loadRecipe, recipeFile } from './load-recipe.ts';
import { readShared } from './shared-files.ts';

/** The default endpoint: where llama.cpp's server listens unless told otherwise. */
export const DEFAULT_LLM_ENDPOINT = 'http://127.0.0.1:8080';

export interface DraftRequest {
  /** What the user asked for: "create a recipe for htop". */
  readonly prompt: string;
  /** Base URL of an OpenAI-compatible server (llama.cpp's server, ollama…). */
  readonly endpoint: string;
  readonly model?: string;
  readonly recipesDir: string;
  readonly runner: Runner;
  readonly timeoutMs?: number;
}

export interface Draft {
  readonly name: string;
  readonly file: string;
}

const NAME_IN_PKG = /\bname\s*:\s*['"]([a-z0-9][a-z0-9._+-]*)['"]/;
const REQUIRED_EXPORTS: readonly [string, RegExp][] = [
  ['pkg', /\bexport\s+const\s+pkg\b/],
  ['acquire', /\bexport\s+(async\s+)?function\s+acquire\b/],
  ['install', /\bexport\s+(async\s+)?function\s+install\b/],
];

class LlmError extends UserError {
  override name = 'LlmError';
}

/** The conversation: the recipe API, two example recipes, the rules of a draft, the request. */
async function messages(prompt: string): Promise<{ role: string; content: string }[]> {
  const [api, ripgrep, zstd] = await Promise.all([
    readShared('recipe-api.d.ts'),
    readShared('examples/ripgrep.recipe.js'),
    readShared('examples/zstd.recipe.js'),
  ]);
  const system = [
    'You write recipes for the `recipe` package manager. A recipe is one JavaScript ES module',
    'that follows this API:',
    '```ts',
    api,
    '```',
    'Two examples:',
    '```js',
    ripgrep,
    '```',
    '```js',
    zstd,
    '```',
    'Answer with one recipe in one ```js block. Use only the helpers of the API; fetch files only',
    "in acquire. When you do not know a file's SHA-256, write 64 zeros and say so in a comment.",
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: prompt },
  ];
}

async function ask(request: DraftRequest): Promise<string> {
  const url = `${request.endpoint.replace(/\/+$/, '')}/v1/chat/completions`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: request.model ?? 'default',
        messages: await messages(request.prompt),
        temperature: 0.2,
        stream: false,
      }),
      signal: AbortSignal.timeout(request.timeoutMs ?? 600_000),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new LlmError(
      'recipe-llm-unreachable',
      `no model server answers at ${url}: ${messageOf(cause ?? error)}`,
      {
        hint: "start an OpenAI-compatible server (llama.cpp's llama-server, ollama) or name one with --endpoint",
        cause: error,
      },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new LlmError(
      'recipe-llm-failed',
      `${url} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]
      ?.message?.content;
  } catch {
    content = undefined;
  }
  if (typeof content !== 'string' || content.trim() === '') {
    throw new LlmError('recipe-llm-failed', `${url} gave no answer: ${text.slice(0, 300)}`);
  }
  return content;
}

/** The recipe in the answer: its first fenced code block, or the whole answer. */
export function codeOf(answer: string): string {
  const fenced = /```(?:js|javascript|mjs)?[ \t]*\n([\s\S]*?)```/.exec(answer);
  return `${(fenced?.[1] ?? answer).trim()}\n`;
}

/**
 * Checks the draft without running it: its syntax with `node --check`, and its exports and
 * name by reading it. Returns the recipe's name.
 */
async function checkDraft(code: string, runner: Runner): Promise<string> {
  const missing = REQUIRED_EXPORTS.filter(([, pattern]) => !pattern.test(code)).map(([n]) => n);
  if (missing.length > 0) {
    throw new LlmError('recipe-llm-unusable', `the draft does not export ${missing.join(', ')}`, {
      hint: 'ask again, more precisely',
    });
  }
  const name = NAME_IN_PKG.exec(code)?.[1];
  if (name === undefined) {
    throw new LlmError('recipe-llm-unusable', 'the draft gives its package no usable name');
  }
  const dir = await mkdtemp(join(tmpdir(), 'recipe-draft-'));
  try {
    const file = join(dir, `${name}.mjs`);
    await writeFile(file, code);
    await runner.run([process.execPath, '--check', file]).catch((error: unknown) => {
      throw new LlmError(
        'recipe-llm-unusable',
        `the draft is not valid JavaScript: ${messageOf(error)}`,
        {
          hint: 'ask again',
          cause: error,
        },
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return name;
}

/**
 * `recipe llm`: asks a local model server for a recipe, checks it parses and exports what a
 * recipe must, and saves it marked as a draft, which nothing runs until a person removes the
 * mark. It never runs the draft, and never replaces a recipe that is not a draft.
 */
export async function draftRecipe(request: DraftRequest): Promise<Draft> {
  const code = codeOf(await ask(request));
  const name = await checkDraft(code, request.runner);
  const file = recipeFile(request.recipesDir, name);
  const existing = await loadRecipe(request.recipesDir, name).catch(() => undefined);
  if (existing !== undefined && !existing.draft) {
    throw new LlmError(
      'recipe-llm-exists',
      `${file} exists and is not a draft: it is left as it is`,
      {
        hint: 'remove or rename it first to draft a new one',
      },
    );
  }
  const header = [
    `// @recipe-draft: drafted by \`recipe llm\` from ${JSON.stringify(request.prompt)}.`,
    '// Nothing runs it until you have reviewed it and deleted this line.',
  ].join('\n');
  await writeFileAtomic(
    file,
    `${header}
${code}`,
  );
  return { name, file };
}
