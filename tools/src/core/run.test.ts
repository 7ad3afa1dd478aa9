import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from './errors.ts';
import { createRunner } from './run.ts';

function parseEnv(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line): [string, string] => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
  return new Map(entries);
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolError);
  return err as ToolError;
}

describe('createRunner', () => {
  const runner = createRunner();

  afterEach(() => {
    delete process.env.LEVITATE_RUN_TEST_SECRET;
  });

  it('runs a successful command', async () => {
    const result = await runner.run(['true']);
    expect(result).toEqual({ argv: ['true'], exitCode: 0, stdout: '', stderr: '' });
  });

  it('captures stdout exactly and stderr', async () => {
    const result = await runner.run(['sh', '-c', 'printf "a\\nb\\n"; echo oops >&2']);
    expect(result.stdout).toBe('a\nb\n');
    expect(result.stderr).toBe('oops\n');
  });

  it('throws ToolError on a non-zero exit', async () => {
    const err = await failure(runner.run(['false']));
    expect(err.exitCode).toBe(1);
    expect(err.argv).toEqual(['false']);
    expect(err.message).toBe('false failed with exit code 1');
  });

  it('keeps the stderr tail in the error', async () => {
    const err = await failure(runner.run(['sh', '-c', 'echo x >&2; exit 3']));
    expect(err.exitCode).toBe(3);
    expect(err.stderrTail).toBe('x');
    expect(err.message).toBe(`sh -c 'echo x >&2; exit 3' failed with exit code 3\n    x`);
  });

  it('keeps only the last 20 lines of stderr', async () => {
    const err = await failure(
      runner.run(['sh', '-c', 'for i in $(seq 1 50); do echo line$i >&2; done; exit 1']),
    );
    const lines = err.stderrTail.split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('line31');
    expect(lines[19]).toBe('line50');
  });

  it('accepts allowed exit codes', async () => {
    const result = await runner.run(['sh', '-c', 'exit 3'], { allowExitCodes: [3] });
    expect(result.exitCode).toBe(3);
    await failure(runner.run(['sh', '-c', 'exit 4'], { allowExitCodes: [3] }));
  });

  it('runs with a clean environment', async () => {
    process.env.LEVITATE_RUN_TEST_SECRET = 'leaked';
    const envRunner = createRunner({
      sourceDateEpoch: 1700000000,
      baseEnv: { FROM_BASE: 'base', OVERRIDDEN: 'base' },
    });
    const result = await envRunner.run(['env'], { env: { OVERRIDDEN: 'call' } });
    const env = parseEnv(result.stdout);
    expect(env.get('LC_ALL')).toBe('C.UTF-8');
    expect(env.get('TZ')).toBe('UTC');
    expect(env.get('SOURCE_DATE_EPOCH')).toBe('1700000000');
    expect(env.get('FROM_BASE')).toBe('base');
    expect(env.get('OVERRIDDEN')).toBe('call');
    expect(env.has('PATH')).toBe(true);
    expect(env.has('HOME')).toBe(true);
    expect(env.has('LEVITATE_RUN_TEST_SECRET')).toBe(false);
    expect([...env.keys()].sort()).toEqual(
      ['FROM_BASE', 'HOME', 'LC_ALL', 'OVERRIDDEN', 'PATH', 'SOURCE_DATE_EPOCH', 'TZ'].sort(),
    );
  });

  it('omits SOURCE_DATE_EPOCH when the runner has none', async () => {
    const env = parseEnv((await runner.run(['env'])).stdout);
    expect(env.has('SOURCE_DATE_EPOCH')).toBe(false);
  });

  it('feeds input to stdin', async () => {
    expect((await runner.run(['cat'], { input: 'hello\n' })).stdout).toBe('hello\n');
    const bytes = new Uint8Array([104, 105]);
    expect((await runner.run(['cat'], { input: bytes })).stdout).toBe('hi');
  });

  it('closes stdin without input', async () => {
    expect((await runner.run(['cat'])).stdout).toBe('');
  });

  it('returns raw bytes from runBinary', async () => {
    const result = await runner.runBinary(['printf', '\\377\\000\\001']);
    expect(result.stdout).toEqual(new Uint8Array([0xff, 0, 1]));
  });

  it('reports a missing command as not found on PATH', async () => {
    const err = await failure(runner.run(['levitate-no-such-command', '--help']));
    expect(err.exitCode).toBeUndefined();
    expect(err.stderrTail).toBe('levitate-no-such-command: command not found on PATH');
    expect(err.message).toContain('levitate-no-such-command --help failed');
  });

  it('reports a missing working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'levitate-run-'));
    await rm(dir, { recursive: true });
    const err = await failure(runner.run(['true'], { cwd: dir }));
    expect(err.stderrTail).toContain('does not exist');
  });

  it('runs in the given working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'levitate-run-'));
    try {
      expect((await runner.run(['pwd'], { cwd: dir })).stdout).toBe(`${dir}\n`);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('kills a command that times out', async () => {
    const err = await failure(runner.run(['sleep', '10'], { timeoutMs: 100 }));
    expect(err.signal).toBe('SIGTERM');
    expect(err.timeoutMs).toBe(100);
    expect(err.message).toContain('timed out after 100 ms');
  });

  it('reports a command killed by a signal', async () => {
    const err = await failure(runner.run(['sh', '-c', 'kill -KILL $$']));
    expect(err.signal).toBe('SIGKILL');
    expect(err.exitCode).toBeUndefined();
  });

  it('echoes commands only in debug mode', async () => {
    const lines: string[] = [];
    await createRunner({ echo: (line) => lines.push(line) }).run(['true']);
    expect(lines).toEqual([]);
    const debugRunner = createRunner({ debug: true, echo: (line) => lines.push(line) });
    await debugRunner.run(['echo', 'two words']);
    expect(lines).toEqual([`+ echo 'two words'`]);
  });

  it('discards stdout when asked', async () => {
    expect((await runner.run(['echo', 'hidden'], { stdout: 'ignore' })).stdout).toBe('');
  });
});
