import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { SecureBootOverride } from '@levitate/distro-spec';
import { makeTestCertificate } from '../secure-boot/test-keys.support.ts';
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
async function build(out: string, secureBoot?: SecureBootOverride) {
  const spec = await loadVariant('acorn', {
    repositories: [{ url: join(dir, 'no-repository'), keysDir: join(dir, 'no-keys') }],
    ...(secureBoot === undefined ? {} : { secureBoot }),
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

  describe('with Secure Boot signing', () => {
    const savedPath = process.env['PATH'];
    afterEach(() => {
      process.env['PATH'] = savedPath;
    });

    async function refusedBeforeWork(secureBoot: SecureBootOverride): Promise<UserError> {
      const failure = await build(join(dir, 'dist'), secureBoot);
      expect(failure).toBeInstanceOf(UserError);
      expect(await readdir(join(dir, 'dist'))).toEqual([]);
      expect(await readdir(join(dir, 'cache')).catch(() => [])).not.toContain('downloads');
      return failure as UserError;
    }

    it('refuses a certificate of another key before reading any repository', async () => {
      const ours = makeTestCertificate(dir, 'ours');
      const theirs = makeTestCertificate(dir, 'theirs');
      const failure = await refusedBeforeWork({ key: ours.key, cert: theirs.cert });
      expect(failure.code).toBe('secure-boot-key');
      expect(failure.message).toContain(theirs.cert);
    });

    it('refuses keys to enrol without their .auth files, naming them', async () => {
      const ours = makeTestCertificate(dir, 'ours');
      const failure = await refusedBeforeWork({ ...ours, enrollKeys: dir });
      expect(failure.code).toBe('secure-boot-enrolment');
      expect(failure.message).toContain(join(dir, 'PK.auth'));
    });

    it('names sbverify and its package when the host lacks it', async () => {
      const ours = makeTestCertificate(dir, 'ours');
      process.env['PATH'] = join(dir, 'empty-path');
      const failure = await refusedBeforeWork(ours);
      expect(failure.code).toBe('host-missing-tools');
      expect(failure.message).toContain('sbverify');
      expect(failure.hint).toBe('apt-get install sbsigntool');
    });
  });
});
