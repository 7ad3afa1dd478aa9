import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRunner } from '../core/run.ts';
import type { Reporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { createSandbox } from './sandbox.ts';
import type { ArchiveKind } from './recipe-api.d.ts';

export interface RecipeWorld {
  readonly dir: string;
  readonly root: string;
  readonly recipesDir: string;
  readonly workDir: string;
  readonly settings: RecipeSettings;
  /** Messages the reporter was given, warnings prefixed with `warn: `. */
  readonly messages: string[];
  cleanup(): void;
}

export function quietReporter(messages: string[]): Reporter {
  const reporter: Reporter = {
    step: (_title, fn) => fn(reporter),
    progress: () => undefined,
    info: (message) => messages.push(message),
    warn: (message) => messages.push(`warn: ${message}`),
    debug: () => undefined,
  };
  return reporter;
}

/** A root with an /etc/recipes folder, a scratch folder and a download cache, all temporary. */
export function recipeWorld(prefix: string): RecipeWorld {
  const dir = mkdtempSync(join(tmpdir(), `recipe-${prefix}-`));
  chmodSync(dir, 0o755);
  const root = join(dir, 'root');
  const recipesDir = join(root, 'etc', 'recipes');
  const workDir = join(dir, 'work');
  mkdirSync(recipesDir, { recursive: true });
  mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
  mkdirSync(workDir);
  const messages: string[] = [];
  const reporter = quietReporter(messages);
  const settings: RecipeSettings = {
    root,
    recipesDir,
    workDir,
    sourceDateEpoch: 1_700_000_000,
    fetcher: createFetcher({ cacheDir: join(dir, 'cache'), reporter, retries: 0, backoffMs: 1 }),
    runner: createRunner(),
    sandbox: createSandbox(),
    reporter,
  };
  return {
    dir,
    root,
    recipesDir,
    workDir,
    settings,
    messages,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A release archive of the given files (name → text; names ending in `/` are folders,
 * executables get mode 0755 when their text starts with `#!`): a `.tar.gz` unless another kind
 * is asked for, made with tar or zip. Returns its path and digest.
 */
const TAR_COMPRESSION = { 'tar.gz': '--gzip', 'tar.xz': '--xz', 'tar.zst': '--zstd' } as const;

export function makeArchive(
  dir: string,
  name: string,
  files: Record<string, string>,
  kind: ArchiveKind = 'tar.gz',
): {
  file: string;
  url: string;
  sha256: string;
} {
  const content = join(dir, `${name}.content`);
  for (const [path, text] of Object.entries(files)) {
    const target = join(content, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text, { mode: text.startsWith('#!') ? 0o755 : 0o644 });
  }
  const file = join(dir, `${name}.${kind}`);
  if (kind === 'zip') {
    execFileSync('zip', ['-q', '-r', '-X', file, '.'], { cwd: content });
  } else {
    const compression = TAR_COMPRESSION[kind];
    execFileSync('tar', ['-cf', file, compression, '--owner=0', '--group=0', '-C', content, '.']);
  }
  return { file, url: pathToFileURL(file).href, sha256: sha256(readFileSync(file)) };
}

export function writeRecipe(recipesDir: string, name: string, source: string): string {
  const file = join(recipesDir, `${name}.recipe.js`);
  writeFileSync(file, source);
  return file;
}

/**
 * Every entry under `dir` with its type, mode and content digest or link target, sorted: two
 * equal snapshots mean nothing under it changed.
 */
export function snapshot(dir: string): string[] {
  const lines: string[] = [];
  const walk = (path: string, under: string) => {
    for (const name of readdirSync(path).sort()) {
      const host = join(path, name);
      const info = lstatSync(host);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isDirectory()) {
        lines.push(`d ${mode} ${under}/${name}`);
        walk(host, `${under}/${name}`);
      } else if (info.isSymbolicLink()) lines.push(`l ${under}/${name} -> ${readlinkSync(host)}`);
      else lines.push(`f ${mode} ${under}/${name} ${sha256(readFileSync(host))}`);
    }
  };
  walk(dir, '');
  return lines;
}
