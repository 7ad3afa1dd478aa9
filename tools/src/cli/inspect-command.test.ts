import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpmBackend } from '../backend/rpm-backend.ts';
import { UserError } from '../core/errors.ts';
import type { Reporter } from '../core/step.ts';
import { fixture } from '../test-support/fixtures.ts';
import { assertPackageFile, fileError, runInspect } from './inspect-command.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'inspect-command-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function refusal(file: string, suffix = '.rpm'): Promise<UserError> {
  const error: unknown = await assertPackageFile(file, suffix).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

function recorder(): Reporter & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    step: (_title, fn) => fn(recorder()),
    progress: () => {},
    info: () => {},
    warn: (message) => warnings.push(message),
    debug: () => {},
  };
}

describe('inspect refuses what is not a readable package file, before opening it', () => {
  it('a folder, naming a package inside it', async () => {
    const folder = join(work, 'repo.rpm');
    await mkdir(folder);
    await writeFile(join(folder, 'b.rpm'), '');
    await writeFile(join(folder, 'a.rpm'), '');
    const error = await refusal(folder);
    expect(error.code).toBe('inspect-not-a-file');
    expect(error.message).toBe(`${folder} is a folder, not a .rpm package`);
    expect(error.hint).toBe(`name one package file in it, e.g. ${join(folder, 'a.rpm')}`);
  });

  it('a FIFO, which would otherwise wait for a writer forever', async () => {
    const fifo = join(work, 'pipe.apk');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(fifo, '.apk');
    expect(error.message).toBe(
      `${fifo} is a FIFO (named pipe), not a regular file: inspect reads package files only`,
    );
  });

  it('a socket', async () => {
    const socket = join(work, 'socket.rpm');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect((await refusal(socket)).message).toContain('is a socket, not a regular file');
    } finally {
      server.close();
    }
  });

  it('a missing file, and a path through a file', async () => {
    const missing = join(work, 'missing.rpm');
    const error = await refusal(missing);
    expect(error.code).toBe('inspect-no-file');
    expect(error.message).toBe(`${missing}: no such file`);
    const file = join(work, 'plain');
    await writeFile(file, '');
    expect((await refusal(join(file, 'x.rpm'))).message).toContain('a part of the path is a file');
  });

  it('an unreadable file, in words', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, access '/srv/x.rpm'"), {
      code: 'EACCES',
    });
    const error = fileError('/srv/x.rpm', denied);
    expect(error.code).toBe('inspect-unreadable');
    expect(error.message).toBe('/srv/x.rpm cannot be read: permission denied');
    expect(error.hint).toBe(
      'make it readable for this user (ls -l /srv/x.rpm), or copy it somewhere readable',
    );
  });
});

describe('runInspect', () => {
  const BCC = fixture('rpm', 'distro/bcc-lua-0.10.0-86.12.x86_64.rpm');

  it('warns and shows the description of a package that does not verify with --no-verify', async () => {
    const bytes = await readFile(BCC);
    const half = join(work, 'half.rpm');
    await writeFile(half, bytes.subarray(0, bytes.length / 2));
    const request = { bin: 'leviso', backend: rpmBackend, keyDirs: [] };
    const whole = await runInspect({ ...request, file: BCC, verify: true }, recorder());
    const reporter = recorder();
    const shown = await runInspect({ ...request, file: half, verify: false }, reporter);
    expect(shown).toBe(whole);
    expect(reporter.warnings).toEqual([
      expect.stringMatching(/^NOT VERIFIED, shown because of --no-verify: .*the file is truncated/),
    ]);
    await expect(runInspect({ ...request, file: half, verify: true }, recorder())).rejects.toThrow(
      /the file is truncated/,
    );
  });
});
