import { chown, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core/errors.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { RecipeSource } from './recipe-api.d.ts';
import type { RecipeError } from './recipe-errors.ts';
import type { Sandbox } from './sandbox.ts';

/** The folder of a source's URL and the file's name in it, as the fetcher takes them. */
export function sourceLocation(source: RecipeSource): { mirrors: string[]; path: string } {
  const url = new URL(source.url);
  const slash = url.pathname.lastIndexOf('/');
  const path = decodeURIComponent(url.pathname.slice(slash + 1));
  if (path === '') throw new Error(`${source.url} names a folder, not a file`);
  const folder = new URL(url.pathname.slice(0, slash + 1), url).href;
  const extra = (source.mirrors ?? []).map((mirror) =>
    mirror.endsWith('/') ? mirror : `${mirror}/`,
  );
  return { mirrors: [folder, ...extra], path };
}

/**
 * Fetches a source through the shared fetcher (mirrors in order, retries, resumed downloads,
 * a verified cache), checks its SHA-256, and copies it into the build folder for the build
 * user. Returns its path there.
 */
export async function fetchSource(
  fetcher: Fetcher,
  source: RecipeSource,
  buildDir: string,
  sandbox: Sandbox,
  fail: (message: string) => RecipeError,
): Promise<string> {
  let location: { mirrors: string[]; path: string };
  try {
    location = sourceLocation(source);
  } catch (error) {
    throw fail(`source ${source.url}: ${messageOf(error)}`);
  }
  const result = await fetcher
    .fetch({
      ...location,
      expected: { digest: { algorithm: 'sha256', hex: source.sha256 } },
    })
    .catch((error: unknown) => {
      throw fail(`source ${source.url}: ${messageOf(error)}`);
    });
  const target = join(buildDir, source.name ?? location.path);
  await copyFile(result.file, target);
  await chown(target, sandbox.uid, sandbox.gid);
  return target;
}
