/**
 * `inspect` verifies before it describes: RPM digests the way `rpm -K --nosignature` checks them
 * (compared with the host's rpm on every fixture and on the first half of each), APK datahashes
 * as before, and with verification off the description is shown with what failed.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { findPackages, withRpmDatabase } from '../rpm/rpm-reference.ts';
import { fixture } from '../test-support/fixtures.ts';
import { apkBackend } from './apk-backend.ts';
import { rpmBackend } from './rpm-backend.ts';

const runner = createRunner();
const rpm = rpmBackend;
const apk = apkBackend;
const CORRUPTED = fixture(
  'rpm',
  'synthetic/rpm-software-management_rpm/RPMS/hello-2.0-1.x86_64-corrupted.rpm',
);
const BCC = fixture('rpm', 'distro/bcc-lua-0.10.0-86.12.x86_64.rpm');
const BASELAYOUT = fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk');
const CHECKED = { keyDirs: [], verify: true } as const;
const UNCHECKED = { keyDirs: [], verify: false } as const;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'inspect-verify-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A copy of the first half of `file`, as an interrupted download leaves it. */
async function firstHalf(file: string, name = basename(file)): Promise<string> {
  const bytes = await readFile(file);
  const out = join(work, `half-${name}`);
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('accepted'),
    (error: Error) => error,
  );
}

describe('leviso inspect verifies digests as rpm -K --nosignature does', () => {
  it('gives every fixture, and the first half of each, the verdict of rpm -K --nosignature', async () => {
    const root = fixture('rpm');
    const whole = findPackages(root);
    const halves = await Promise.all(
      whole.map((file, index) => firstHalf(file, `${index}-${basename(file)}`)),
    );
    const files = [...whole, ...halves];
    const result = await withRpmDatabase((dbpath) =>
      runner.run(['rpm', '-K', '--nosignature', '--dbpath', dbpath, ...files], {
        allowExitCodes: Array.from({ length: 255 }, (_, index) => index + 1),
      }),
    );
    const passed = new Set(
      result.stdout
        .split('\n')
        .filter((line) => line.endsWith(': digests OK'))
        .map((line) => line.slice(0, -': digests OK'.length)),
    );
    const reference: Record<string, boolean> = {};
    const ours: Record<string, boolean> = {};
    for (const file of files) {
      const name = file.startsWith(root) ? relative(root, file) : basename(file);
      reference[name] = passed.has(file);
      const error = await rejection(rpm.inspect(file, CHECKED));
      if (error.message !== 'accepted') {
        expect(error, name).toSatisfy(
          (thrown) => thrown instanceof PackageVerifyError || thrown instanceof PackageFormatError,
        );
      }
      ours[name] = error.message === 'accepted';
    }
    expect(ours).toEqual(reference);
    // The comparison means something: rpm passes every whole package but one, no half.
    expect(Object.values(reference).filter(Boolean)).toHaveLength(whole.length - 1);
  });

  it('calls a truncated package truncated and names each digest that fails', async () => {
    const half = await firstHalf(BCC);
    const error = await rejection(rpm.inspect(half, CHECKED));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toContain(half);
    expect(error.message).toMatch(
      /the file is truncated \(header and payload are \d+ bytes, the headers declare 90464\); digest mismatch: payload-sha256 is [0-9a-f]{64}, expected feb565a6/,
    );
    expect(error.message).toContain('header+payload-md5 is');
    expect((error as PackageVerifyError).hint).toMatch(/cut short/);
  });

  it("names the payload digest of rpm's corrupted test package", async () => {
    const error = await rejection(rpm.inspect(CORRUPTED, CHECKED));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(
      /digest mismatch: payload-sha256 is e3b0c442[0-9a-f]+, expected 84a73382[0-9a-f]+$/,
    );
  });

  it('describes the package anyway with verification off, and says what failed', async () => {
    const half = await firstHalf(BCC);
    const whole = await rpm.inspect(BCC, CHECKED);
    expect(whole.unverified).toEqual([]);
    const shown = await rpm.inspect(half, UNCHECKED);
    expect(JSON.stringify(shown.description)).toBe(JSON.stringify(whole.description));
    expect(shown.unverified).toEqual([expect.stringMatching(/the file is truncated/)]);
    const corrupted = await rpm.inspect(CORRUPTED, UNCHECKED);
    expect(corrupted.unverified).toEqual([expect.stringMatching(/payload-sha256/)]);
  });
});

describe('acorn inspect', () => {
  it('calls a truncated package truncated, not only a datahash mismatch', async () => {
    const half = await firstHalf(BASELAYOUT);
    const error = await rejection(apk.inspect(half, CHECKED));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(
      /: truncated: the data part's gzip stream ends early, at byte 5506 of the file, so the data part's SHA-256 [0-9a-f]{64} does not match the datahash 1a3a8e47[0-9a-f]+ in \.PKGINFO$/,
    );
  });

  it('shows what can be read with verification off: the metadata and the first entries', async () => {
    const half = await firstHalf(BASELAYOUT);
    const whole = (await apk.inspect(BASELAYOUT, CHECKED)).description as {
      package: Record<string, unknown>;
      entries: { path: string }[];
    };
    const shown = await apk.inspect(half, UNCHECKED);
    const partial = shown.description as typeof whole;
    expect(partial.package['name']).toBe('alpine-baselayout');
    expect(partial.package['pkginfo']).toEqual(whole.package['pkginfo']);
    expect(partial.entries.length).toBeGreaterThan(0);
    expect(partial.entries.length).toBeLessThan(whole.entries.length);
    const paths = new Set(whole.entries.map((entry) => entry.path));
    expect(partial.entries.every((entry) => paths.has(entry.path))).toBe(true);
    expect(shown.unverified).toEqual([
      expect.stringMatching(/truncated: the data part's gzip stream ends early/),
      expect.stringMatching(/^the entries stop after \d+: /),
    ]);
  });
});
