import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from './errors.ts';
import { assertHost, checkHost } from './host.ts';
import type { HostCheckResult, HostRequirement } from './host.ts';
import { HOST_TOOLS } from './host-tools.ts';

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

describe('assertHost', () => {
  it('does nothing when everything is found', () => {
    expect(() =>
      assertHost([{ requirement: HOST_TOOLS.xorriso, found: true, location: '/usr/bin/xorriso' }]),
    ).not.toThrow();
  });

  it('lists every missing requirement in one error', () => {
    const results: HostCheckResult[] = [
      { requirement: HOST_TOOLS.xorriso, found: false },
      { requirement: HOST_TOOLS.cpio, found: true, location: '/usr/bin/cpio' },
      { requirement: HOST_TOOLS.mcopy, found: false },
      { requirement: HOST_TOOLS.mmd, found: false },
      { requirement: HOST_TOOLS.ovmfCode, found: false },
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
      "xorriso is not available on this host (needed to master the ISO). Install the Debian package 'xorriso'.",
    );
    expect(err.message).toContain('mcopy is not available on this host');
    expect(err.message).toContain('mmd is not available on this host');
    expect(err.message).toContain('/usr/share/OVMF/OVMF_CODE_4M.fd is not available on this host');
    expect(err.message).not.toContain('cpio');
    expect(err.hint).toBe('apt-get install mtools ovmf xorriso');
  });

  it('uses a single sentence for a single missing requirement', () => {
    expect(() => assertHost([{ requirement: HOST_TOOLS.zstd, found: false }])).toThrow(
      "zstd is not available on this host (needed to compress images and archives with zstd). Install the Debian package 'zstd'.",
    );
  });
});

describe('HOST_TOOLS', () => {
  it('is frozen and uses Debian package names', () => {
    expect(Object.isFrozen(HOST_TOOLS)).toBe(true);
    expect(Object.isFrozen(HOST_TOOLS.xorriso)).toBe(true);
    expect(HOST_TOOLS.mkfsFat).toMatchObject({ command: 'mkfs.fat', debianPackage: 'dosfstools' });
    expect(HOST_TOOLS.createrepoC).toMatchObject({ debianPackage: 'createrepo-c' });
    expect(HOST_TOOLS.systemdStub).toMatchObject({
      kind: 'file',
      debianPackage: 'systemd-boot-efi',
    });
    for (const requirement of Object.values(HOST_TOOLS)) {
      expect(requirement.reason.length).toBeGreaterThan(0);
      expect(requirement.debianPackage).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
    }
  });
});
