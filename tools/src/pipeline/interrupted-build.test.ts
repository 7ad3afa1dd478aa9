import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';

const BUILD = join(import.meta.dirname, 'interrupted-build.support.ts');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interrupted-build-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('a build interrupted by %s', (signal, status) => {
  it(`removes its work folder, says it was interrupted and exits ${status}`, async () => {
    const out = join(dir, 'out');
    const temp = join(dir, 'tmp');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', BUILD, out, join(dir, 'cache'), temp],
      { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const workDir = await new Promise<string>((found, failed) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /building in (\S+)\n/.exec(stdout);
        if (match?.[1] !== undefined) found(match[1]);
      });
      void ended.then(() => failed(new Error(`the build ended first: ${stderr}`)));
    });
    await access(workDir);

    child.kill(signal);

    expect(await ended).toBe(status);
    expect(stderr).toContain(`interrupted by ${signal}\nremoved the work folder ${workDir}\n`);
    await expect(access(workDir)).rejects.toThrow();
    expect(await readdir(temp)).toEqual([]);
    // The output folder's lock went with the process.
    expect(await readdir(out)).toEqual([]);
  }, 60_000);
});
