import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { exitCodeFor } from '../core/format-error.ts';
import { createReporter } from '../core/step.ts';
import { runIsoBuild } from './iso-command.ts';

const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

let dir: string;
let file: string;
const savedTmpdir = process.env['TMPDIR'];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iso-command-'));
  file = join(dir, 'a-file');
  await writeFile(file, 'not a folder');
});
afterEach(async () => {
  if (savedTmpdir === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmpdir;
  await rm(dir, { recursive: true, force: true });
});

/** AcornOS from a repository that is not there: a build that got as far as reading it fails otherwise. */
async function build(out: string) {
  const spec = await loadVariant('acorn', {
    repositories: [{ url: join(dir, 'no-repository'), keysDir: join(dir, 'no-keys') }],
  });
  const flags = { out, cache: join(dir, 'cache'), compressor: 'zstd', verify: true } as const;
  return runIsoBuild(spec, flags, quiet, 'command-line').catch((err: unknown) => err);
}

describe('runIsoBuild', () => {
  it('refuses an --out under a file before reading any repository, as a UserError', async () => {
    const failure = await build(join(file, 'dist'));
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).code).toBe('folder-not-a-folder');
    expect((failure as UserError).message).toContain(`the output folder ${join(file, 'dist')}`);
    expect(exitCodeFor(failure)).toBe(2);
  });

  it('refuses a TMPDIR that is a file before reading any repository, as a UserError', async () => {
    process.env['TMPDIR'] = file;
    const failure = await build(join(dir, 'dist'));
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toContain(`the temporary folder (TMPDIR) ${file}`);
    expect(exitCodeFor(failure)).toBe(2);
    expect(await readdir(join(dir, 'dist'))).toEqual([]);
  });
});
