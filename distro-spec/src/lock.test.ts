import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVariant } from './index.ts';
import { LockFileError, encodeLock, lockFileFor, lockInputs, parseLock } from './lock.ts';
import type { PackageLock } from './lock.ts';
import { useVariantFolder } from './variant-files.support.ts';

const folder = useVariantFolder('distro-spec-lock');

const LOCK: PackageLock = {
  lockVersion: 1,
  variant: 'mine',
  family: 'apk',
  arch: 'x86_64',
  inputs: 'a'.repeat(64),
  epoch: 1725580800,
  requests: [{ request: 'busybox', package: 'busybox' }],
  repositories: [
    { name: 'main', url: 'https://mirror.example/alpine/v3.20/main', index: 'b'.repeat(64) },
  ],
  packages: [
    {
      name: 'busybox',
      version: '1.36.1-r29',
      arch: 'x86_64',
      repository: 'main',
      location: 'busybox-1.36.1-r29.apk',
      size: 512,
      // All digits: YAML would read it as a number if it were not quoted.
      sha256: '1234567890'.repeat(6).concat('1234'),
      checksum: { type: 'apk-control-sha1', value: 'Q1abc=' },
      buildTime: 1725580800,
      license: 'GPL-2.0-only',
      reason: 'requested as busybox',
      needs: [{ dependency: 'so:libc.musl-x86_64.so.1', package: 'musl' }],
    },
  ],
};

describe('lock files', () => {
  it('write the same bytes for the same lock and read back to it', () => {
    const text = encodeLock(LOCK, 'acorn');
    expect(text.startsWith('# The packages of mine, locked by `acorn lock`.\n')).toBe(true);
    expect(encodeLock(parseLock('mine.lock.yaml', text), 'acorn')).toBe(text);
    expect(parseLock('mine.lock.yaml', text)).toEqual(LOCK);
  });

  it('refuse what is not a lock, saying where', () => {
    const text = encodeLock(LOCK, 'acorn').replace('size: 512', 'size: -5');
    const error = (() => {
      try {
        parseLock('/x/mine.lock.yaml', text);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LockFileError);
    const problem = (error as LockFileError).problems[0];
    expect(problem).toMatchObject({ file: '/x/mine.lock.yaml', path: 'packages[0].size' });
    expect(problem?.line).toBe(text.split('\n').findIndex((line) => line.includes('-5')) + 1);
    expect(() => parseLock('a.lock.yaml', 'lockVersion: 1\n  bad: [')).toThrow(LockFileError);
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'https://elsewhere.example/x.apk', 'a/../../b.apk'])(
    'refuse a location outside the repository: %s',
    (location) => {
      const text = encodeLock(
        { ...LOCK, packages: LOCK.packages.map((pkg) => ({ ...pkg, location: 'PLACE' })) },
        'acorn',
      ).replace('PLACE', JSON.stringify(location));
      expect(() => parseLock('x.lock.yaml', text)).toThrow(/packages\[0\]\.location/);
    },
  );

  it('live beside the variant file, named after the variant', async () => {
    expect(lockFileFor(await loadVariant('acorn'))).toMatch(/variants\/acorn\/acorn\.lock\.yaml$/);
    const file = await folder.write('mine.yaml', 'extends: acorn\n');
    expect(lockFileFor(await loadVariant(file))).toBe(join(folder.dir, 'mine.lock.yaml'));
  });

  it('depend on what the package set depends on, not on overlays or kernel arguments', async () => {
    const base = lockInputs(await loadVariant('acorn'));
    const cmdline = await folder.write(
      'cmdline.yaml',
      'extends: acorn\nkernel:\n  cmdline:\n    add: [quiet]\n',
    );
    expect(lockInputs(await loadVariant(cmdline))).toBe(base);
    const more = await folder.write('more.yaml', 'extends: acorn\npackages:\n  add: [nano]\n');
    expect(lockInputs(await loadVariant(more))).not.toBe(base);
    const mirror = await loadVariant('acorn', {
      repositories: [{ url: 'https://mirror.example/alpine/v3.20/main' }],
    });
    expect(lockInputs(mirror)).not.toBe(base);
  });
});
