import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, messageOf } from '../core/errors.ts';
import { DEFAULT_LLM_ENDPOINT } from './llm-draft.ts';

export const CONFIG_FILE = 'config.json';

export interface LlmSettings {
  readonly endpoint: string;
  readonly model?: string;
}

/**
 * The model server for `recipe llm`: the command line first, then `llm.endpoint` and
 * `llm.model` in `<recipes>/config.json`, then llama.cpp's default address.
 */
export async function llmSettings(
  recipesDir: string,
  flags: { endpoint?: string; model?: string },
): Promise<LlmSettings> {
  const file = join(recipesDir, CONFIG_FILE);
  let config: { llm?: { endpoint?: unknown; model?: unknown } } = {};
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as typeof config;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UserError('recipe-config', `${file}: ${messageOf(error)}`, {
        hint: 'fix the file: it is JSON, for example {"llm": {"endpoint": "http://127.0.0.1:8080"}}',
      });
    }
  }
  const fromFile = (value: unknown) =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const endpoint = flags.endpoint ?? fromFile(config.llm?.endpoint) ?? DEFAULT_LLM_ENDPOINT;
  const model = flags.model ?? fromFile(config.llm?.model);
  return { endpoint, ...(model === undefined ? {} : { model }) };
}
