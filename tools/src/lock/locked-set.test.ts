import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { lockInputs } from '@levitate/distro-spec/lock';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resolution, ResolvedPackage, VerifiedPackage } from '../backend/index.ts';
import { UserError } from '../core/errors.ts';
import {
  assertLockApplies,
  assertLockedFiles,
  lockDifferences,
  lockOf,
  resolutionFromLock,
} from './locked-set.ts';

let spec: VariantSpec;
beforeAll(async () => {
  spec = await loadVariant('acorn');
});

function resolved(name: string, version: string, checksum = `Q1${name}=`): ResolvedPackage {
  return {
    name,
    version,
    arch: 'x86_64',
    repository: 'main',
    size: 100,
    location: `${name}-${version}.apk`,
    checksum: { type: 'apk-control-sha1', value: checksum },
    reason: name === 'busybox' ? 'requested as busybox' : 'required by busybox for so:libc',
    buildTime: name === 'musl' ? 1_700_000_100 : 1_700_000_000,
    license: 'MIT',
  };
}

const RESOLUTION: Resolution = {
  family: 'apk',
  packages: [resolved('musl', '1.2.5-r0'), resolved('busybox', '1.36.1-r29')],
  warnings: [],
  graph: {
    roots: [{ request: 'busybox', package: 'busybox' }],
    edges: [{ from: 'busybox', dependency: 'so:libc.musl-x86_64.so.1', to: 'musl' }],
  },
};

const sha = (name: string) => (name === 'musl' ? 'a' : 'b').repeat(64);

function verified(pkg: ResolvedPackage, hex = sha(pkg.name)): VerifiedPackage {
  return {
    package: pkg,
    file: `/cache/${pkg.location}`,
    digest: { algorithm: 'sha256', hex },
    signer: undefined,
    scripts: [],
    entries: async function* () {},
  };
}

function lock() {
  return lockOf({
    spec,
    resolution: RESOLUTION,
    packages: RESOLUTION.packages.map((pkg) => verified(pkg)),
    sources: [
      {
        name: 'main',
        url: 'file:///repo',
        origin: 'command-line',
        index: { from: 'folder', location: '/repo/x86_64/APKINDEX.tar.gz', sha256: 'c'.repeat(64) },
        packages: {},
      },
    ],
    epoch: 1_700_000_100,
  });
}

describe('a lock', () => {
  it('keeps the packages in install order with their files, and the graph', () => {
    const made = lock();
    expect(made.inputs).toBe(lockInputs(spec));
    expect(made.repositories).toEqual([
      { name: 'main', url: 'file:///repo', index: 'c'.repeat(64) },
    ]);
    expect(made.packages.map((pkg) => [pkg.name, pkg.sha256])).toEqual([
      ['musl', 'a'.repeat(64)],
      ['busybox', 'b'.repeat(64)],
    ]);
    expect(made.packages[1]?.needs).toEqual([
      { dependency: 'so:libc.musl-x86_64.so.1', package: 'musl' },
    ]);
  });

  it('gives back the resolution it was made from, without resolving', () => {
    expect(resolutionFromLock(lock())).toEqual(RESOLUTION);
  });

  it('names what a new resolution changes', () => {
    const moved: Resolution = {
      ...RESOLUTION,
      packages: [
        resolved('musl', '1.2.5-r1'),
        resolved('busybox', '1.36.1-r29', 'Q1rebuilt='),
        resolved('zlib', '1.3.1-r0'),
      ],
    };
    expect(lockDifferences(moved, lock())).toEqual([
      'busybox: 1.36.1-r29 rebuilt (another checksum in the index)',
      'musl: 1.2.5-r0 → 1.2.5-r1',
      'zlib: 1.3.1-r0 added',
    ]);
    expect(
      lockDifferences({ ...RESOLUTION, packages: [resolved('musl', '1.2.5-r0')] }, lock()),
    ).toEqual(['busybox: 1.36.1-r29 removed']);
    expect(lockDifferences(RESOLUTION, lock())).toEqual([]);
  });

  it('refuses a file that is not the locked one, naming the package', () => {
    const files = RESOLUTION.packages.map((pkg) => verified(pkg));
    expect(() => assertLockedFiles(files, lock(), 'mine.lock.yaml')).not.toThrow();
    const changed = [
      files[0] as VerifiedPackage,
      verified(RESOLUTION.packages[1] as ResolvedPackage, 'd'.repeat(64)),
    ];
    expect(() => assertLockedFiles(changed, lock(), 'mine.lock.yaml')).toThrow(
      /busybox-1\.36\.1-r29 \(busybox-1\.36\.1-r29\.apk\) has SHA-256 d{64}, but mine\.lock\.yaml pins b{64}/,
    );
  });

  it('refuses to stand for a variant whose package inputs changed', async () => {
    expect(() => assertLockApplies(lock(), spec, 'acorn.lock.yaml')).not.toThrow();
    const other = await loadVariant('iuppiter');
    const thrown = (() => {
      try {
        assertLockApplies(lock(), other, 'acorn.lock.yaml');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown).toMatchObject({ code: 'lock-stale' });
  });
});
