import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@levitate/tools';
import { BUILDER_BINS } from './workspace.ts';
import type { BuilderName } from './workspace.ts';

const CENTOS = fixture('repodata', 'centos-stream-9-baseos-x86_64');
const RPM = fixture('rpm', 'distro', 'autofs-5.0.7-28.fc19.i686.rpm');
const APK = fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk');

let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'cli-packages-'));
});
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

function cli(bin: BuilderName, args: string[]) {
  return execa(process.execPath, [BUILDER_BINS[bin], ...args], { reject: false, cwd: tmpdir() });
}

describe('inspect', () => {
  it('prints an RPM as sorted JSON with the metadata rpm reports', async () => {
    const result = await cli('leviso', ['inspect', RPM, '--json']);
    expect(result.exitCode).toBe(0);
    const inspection = JSON.parse(result.stdout) as {
      package: { name: string; nevra: string };
      entries: { path: string }[];
    };
    const rpm = await execa('rpm', [
      '-qp',
      '--nosignature',
      '--nodigest',
      '--queryformat',
      '%{NAME} %{NEVRA}',
      RPM,
    ]);
    expect(`${inspection.package.name} ${inspection.package.nevra}`).toBe(rpm.stdout);
    expect(Object.keys(inspection)).toEqual([...Object.keys(inspection)].sort());
    const paths = inspection.entries.map((entry) => entry.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain('/usr/sbin/automount');
  });

  it('prints an APK with its signer checked against a key folder', async () => {
    const result = await cli('acorn', [
      'inspect',
      APK,
      '--json',
      '--keys',
      fixture('keys', 'alpine'),
    ]);
    expect(result.exitCode).toBe(0);
    const inspection = JSON.parse(result.stdout) as {
      package: { name: string; version: string; signer: string; verified: boolean };
    };
    expect(inspection.package).toMatchObject({
      name: 'alpine-baselayout',
      version: '3.2.0-r23',
      verified: true,
    });
    expect(inspection.package.signer).toBe('alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub');
  });

  it('refuses a file of the other format with a hint', async () => {
    const result = await cli('acorn', ['inspect', RPM]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not a .apk file');
  });
});

describe('resolve', () => {
  it('resolves a package set from a local RPM repository with versions, sizes, checksums and reasons', async () => {
    const result = await cli('leviso', [
      'resolve',
      '--repo',
      CENTOS,
      '--packages',
      'bash',
      '--json',
      '--cache',
      cache,
    ]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as {
      packages: {
        name: string;
        version: string;
        arch: string;
        size: number;
        checksum: { type: string; value: string };
        reason: string;
      }[];
    };
    const bash = report.packages.find((pkg) => pkg.name === 'bash');
    expect(bash).toMatchObject({
      version: '5.1.8-2.el9',
      arch: 'x86_64',
      checksum: { type: 'sha256' },
    });
    expect(report.packages.find((pkg) => pkg.name === 'glibc')?.reason).toMatch(/^required by /);
    expect(report.packages.map((pkg) => pkg.name)).toEqual(
      report.packages.map((pkg) => pkg.name).sort(),
    );
  });

  it('says what is missing and who wanted it', async () => {
    const result = await cli('leviso', [
      'resolve',
      '--repo',
      CENTOS,
      '--packages',
      'bash,no-such-package',
      '--cache',
      cache,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no-such-package/);
  });
});
