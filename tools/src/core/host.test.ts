import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from './errors.ts';
import { assertHost, checkHost, installCommand } from './host.ts';
import type { HostCheckResult, HostRequirement, HostUse } from './host.ts';
import type { HostToolId } from './host-tools.ts';
import { requirementsOf } from './host-uses.ts';

function commandReq(command: string, debianPackage: string, reason: string): HostRequirement {
  return { kind: 'command', command, debianPackage, reason };
}

describe('checkHost', () => {
  let dir = '';
  let otherDir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'levitate-host-'));
    otherDir = join(dir, 'other');
    await mkdir(otherDir);
    await writeFile(join(dir, 'fake-tool'), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, 'fake-tool'), 0o755);
    await writeFile(join(dir, 'not-executable'), 'data');
    await chmod(join(dir, 'not-executable'), 0o644);
    await mkdir(join(dir, 'a-directory'));
    await writeFile(join(otherDir, 'second-tool'), '#!/bin/sh\n');
    await chmod(join(otherDir, 'second-tool'), 0o700);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds executables on the given PATH only', async () => {
    const results = await checkHost(
      [
        commandReq('fake-tool', 'fake', 'test'),
        commandReq('not-executable', 'data', 'test'),
        commandReq('a-directory', 'dir', 'test'),
        commandReq('second-tool', 'second', 'test'),
        commandReq('sh', 'dash', 'test'),
      ],
      { pathEnv: `${dir}::${otherDir}` },
    );
    expect(results.map((result) => [result.found, result.location])).toEqual([
      [true, join(dir, 'fake-tool')],
      [false, undefined],
      [false, undefined],
      [true, join(otherDir, 'second-tool')],
      [false, undefined],
    ]);
  });

  it('accepts commands given as absolute paths', async () => {
    const [result] = await checkHost([commandReq(join(dir, 'fake-tool'), 'fake', 'test')], {
      pathEnv: '',
    });
    expect(result?.found).toBe(true);
  });

  it('checks files with the injected exists function', async () => {
    const asked: string[] = [];
    const results = await checkHost(
      [
        { kind: 'file', path: '/present', debianPackage: 'p', reason: 'test' },
        { kind: 'file', path: '/absent', debianPackage: 'a', reason: 'test' },
      ],
      {
        exists: async (path) => {
          asked.push(path);
          return path === '/present';
        },
      },
    );
    expect(asked.sort()).toEqual(['/absent', '/present']);
    expect(results.map((result) => result.found)).toEqual([true, false]);
    expect(results[0]?.location).toBe('/present');
  });

  it('checks real files by default', async () => {
    const results = await checkHost([
      { kind: 'file', path: join(dir, 'not-executable'), debianPackage: 'x', reason: 'test' },
      { kind: 'file', path: join(dir, 'missing'), debianPackage: 'x', reason: 'test' },
    ]);
    expect(results.map((result) => result.found)).toEqual([true, false]);
  });
});

function registered(id: HostToolId, use: HostUse): HostRequirement {
  const [requirement] = requirementsOf([id], use);
  if (requirement === undefined) throw new Error(`${id} is not registered for ${use}`);
  return requirement;
}

describe('assertHost', () => {
  const xorriso = registered('xorriso', 'build');
  const mcopy = registered('mcopy', 'build');
  const mmd = registered('mmd', 'build');
  const depmod = registered('depmod', 'build');
  const firmware = registered('uefiFirmware', 'run');

  it('does nothing when everything is found', () => {
    expect(() =>
      assertHost([{ requirement: xorriso, found: true, location: '/usr/bin/xorriso' }]),
    ).not.toThrow();
  });

  it('lists every missing requirement in one error', () => {
    const results: HostCheckResult[] = [
      { requirement: xorriso, found: false },
      { requirement: depmod, found: true, location: '/usr/sbin/depmod' },
      { requirement: mcopy, found: false },
      { requirement: mmd, found: false },
      { requirement: firmware, found: false },
    ];
    let caught: unknown;
    try {
      assertHost(results);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    const err = caught as UserError;
    expect(err.code).toBe('host-missing-tools');
    expect(err.message).toContain(
      "xorriso is not available on this host (needed to master the hybrid ISO). Install the Debian package 'xorriso'.",
    );
    expect(err.message).toContain('mcopy is not available on this host');
    expect(err.message).toContain('mmd is not available on this host');
    expect(err.message).toContain(
      '/usr/share/qemu/firmware/60-edk2-x86_64.json is not available on this host',
    );
    expect(err.message).not.toContain('depmod');
    expect(err.hint).toBe('apt-get install mtools ovmf xorriso');
  });

  it('uses a single sentence for a single missing requirement', () => {
    expect(() => assertHost([{ requirement: mmd, found: false }])).toThrow(
      "mmd is not available on this host (needed to make the folders of the EFI system partition image). Install the Debian package 'mtools'.",
    );
  });
});

describe('installCommand', () => {
  it('names each package once, sorted', () => {
    expect(installCommand(requirementsOf(['xorriso', 'mmd', 'mcopy'], 'build'))).toBe(
      'apt-get install mtools xorriso',
    );
  });
});
