import { describe, expect, it } from 'vitest';
import { InternalError, ToolError, UserError, defined, inStage, shellQuote } from './errors.ts';
import { exitCodeFor, formatError } from './format-error.ts';

describe('shellQuote', () => {
  it('leaves safe words alone and quotes the rest', () => {
    expect(shellQuote(['xorriso', '-as', 'mkisofs', '-o', 'out/live.iso'])).toBe(
      'xorriso -as mkisofs -o out/live.iso',
    );
    expect(shellQuote(['sh', '-c', 'echo $HOME; exit 3'])).toBe(`sh -c 'echo $HOME; exit 3'`);
    expect(shellQuote(['echo', "it's", ''])).toBe(`echo 'it'\\''s' ''`);
    expect(shellQuote(['a b', '*', '~'])).toBe(`'a b' '*' '~'`);
  });
});

describe('error classes', () => {
  it('UserError keeps code, hint and cause', () => {
    const cause = new Error('root');
    const err = new UserError('spec-invalid', 'bad spec', { hint: 'fix it', cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('UserError');
    expect(err.code).toBe('spec-invalid');
    expect(err.hint).toBe('fix it');
    expect(err.cause).toBe(cause);
    expect(new UserError('x', 'y').hint).toBeUndefined();
    expect('cause' in new UserError('x', 'y')).toBe(false);
  });

  it('ToolError describes the command, exit code and stderr tail', () => {
    const err = new ToolError({
      argv: ['sh', '-c', 'exit 3'],
      exitCode: 3,
      stderrTail: 'first\nsecond\n',
    });
    expect(err.message).toBe(`sh -c 'exit 3' failed with exit code 3\n    first\n    second`);
    expect(err.exitCode).toBe(3);
    expect(err.signal).toBeUndefined();
    expect(err.argv).toEqual(['sh', '-c', 'exit 3']);
  });

  it('ToolError mentions signals and timeouts', () => {
    const killed = new ToolError({
      argv: ['sleep', '9'],
      exitCode: undefined,
      signal: 'SIGKILL',
      stderrTail: '',
    });
    expect(killed.message).toBe('sleep 9 was killed by SIGKILL');
    const timedOut = new ToolError({
      argv: ['sleep', '9'],
      exitCode: undefined,
      signal: 'SIGTERM',
      timeoutMs: 100,
      stderrTail: '',
    });
    expect(timedOut.message).toBe('sleep 9 timed out after 100 ms and was killed by SIGTERM');
  });
});

describe('defined', () => {
  it('gives back a present value, falsy ones included', () => {
    expect(defined('', 'a name')).toBe('');
    expect(defined(0, 'a count')).toBe(0);
  });

  it('calls a missing value a bug, naming what was missing', () => {
    expect(() => defined(undefined, 'boot slot 2')).toThrow(InternalError);
    expect(() => defined(undefined, 'boot slot 2')).toThrow('boot slot 2 is missing');
  });
});

describe('inStage', () => {
  it('returns the value when nothing fails', async () => {
    await expect(inStage('do nothing', async () => 42)).resolves.toBe(42);
  });

  it('rewraps a UserError keeping code and hint', async () => {
    const original = new UserError('spec-invalid', 'missing name', { hint: 'add a name' });
    const err = await inStage('load the spec', async () => {
      throw original;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const user = err as UserError;
    expect(user.message).toBe('failed to load the spec: missing name');
    expect(user.code).toBe('spec-invalid');
    expect(user.hint).toBe('add a name');
    expect(user.cause).toBe(original);
  });

  it('rewraps a ToolError keeping its fields, and nests', async () => {
    const original = new ToolError({ argv: ['false'], exitCode: 1, stderrTail: 'boom' });
    const err = await inStage('build', () =>
      inStage('master the ISO', async () => {
        throw original;
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    const tool = err as ToolError;
    expect(tool.message).toBe(
      'failed to build: failed to master the ISO: false failed with exit code 1\n    boom',
    );
    expect(tool.argv).toEqual(['false']);
    expect(tool.exitCode).toBe(1);
    expect(tool.stderrTail).toBe('boom');
    expect((tool.cause as ToolError).cause).toBe(original);
  });

  it('keeps internal and plain errors in their family', async () => {
    const internal = await inStage('a', async () => {
      throw new InternalError('oops');
    }).catch((e: unknown) => e);
    expect(internal).toBeInstanceOf(InternalError);
    expect((internal as Error).message).toBe('failed to a: oops');

    const plain = await inStage('b', async () => {
      throw new TypeError('nope');
    }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(Error);
    expect(plain).not.toBeInstanceOf(UserError);
    expect((plain as Error).message).toBe('failed to b: nope');
  });

  it('keeps the class and fields of a subclass, and leaves the thrown error as it was', async () => {
    class PackageProblem extends UserError {
      override name = 'PackageProblem';
      readonly pkg = 'busybox-1.36.1-r29';
    }
    const original = new PackageProblem('package-bad', 'busybox is damaged', {
      hint: 'fetch it again',
    });
    const err = await inStage('fetch and verify the packages', async () => {
      throw original;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageProblem);
    expect(err).toMatchObject({
      name: 'PackageProblem',
      code: 'package-bad',
      hint: 'fetch it again',
      pkg: 'busybox-1.36.1-r29',
      message: 'failed to fetch and verify the packages: busybox is damaged',
    });
    expect((err as Error).cause).toBe(original);
    expect(original.message).toBe('busybox is damaged');
  });

  it('turns non-Error throwables into InternalError', async () => {
    const err = await inStage('c', () => Promise.reject('just a string')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalError);
    expect((err as Error).message).toBe('failed to c: just a string');
    expect((err as Error).cause).toBe('just a string');
  });
});

describe('formatError', () => {
  it('prints a user error with its hint and no stack', () => {
    const err = new UserError('host-missing-tools', 'xorriso is missing', {
      hint: 'apt-get install xorriso',
      cause: new Error('inner'),
    });
    expect(formatError(err)).toBe('error: xorriso is missing\nhint: apt-get install xorriso');
  });

  it('adds the cause chain and stack with debug', () => {
    const inner = new Error('inner problem');
    const err = new UserError('spec-invalid', 'outer', { cause: inner });
    const text = formatError(err, { debug: true });
    expect(text).toContain('error: outer');
    expect(text).toContain('caused by: inner problem');
    expect(text).toContain('stack:');
    expect(text).toMatch(/\n\s+at /);
  });

  it('calls unknown and internal errors bugs', () => {
    expect(formatError(new InternalError('bad state'))).toContain('bug');
    expect(formatError(new RangeError('x'))).toContain('bug');
    expect(formatError(17)).toMatch(/^error: .*17[\s\S]*bug/);
  });

  it('prints tool errors with their stderr tail', () => {
    const err = new ToolError({ argv: ['false'], exitCode: 1, stderrTail: 'why' });
    expect(formatError(err)).toBe('error: false failed with exit code 1\n    why');
  });
});

describe('exitCodeFor', () => {
  it('maps families to exit codes', () => {
    expect(exitCodeFor(new UserError('a', 'b'))).toBe(2);
    expect(exitCodeFor(new ToolError({ argv: ['x'], exitCode: 1, stderrTail: '' }))).toBe(3);
    expect(exitCodeFor(new InternalError('c'))).toBe(70);
    expect(exitCodeFor(new Error('d'))).toBe(70);
    expect(exitCodeFor('e')).toBe(70);
  });
});
