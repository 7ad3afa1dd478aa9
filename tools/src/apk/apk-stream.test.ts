import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { buildApk } from './apk-builder.support.ts';
import { readApkPackage, streamApkEntries, streamPackageData } from './index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apk-stream-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('streaming the data part', () => {
  it('can be left early, and closes the file', async () => {
    const file = fixture('apk', 'synthetic', 'apko', 'tzdata-2023c-r0.apk');
    for (let round = 0; round < 3; round += 1) {
      for await (const item of streamApkEntries(file, {
        keys: new Map(),
        requireSignature: false,
      })) {
        expect(item.entry.path).toBe('/usr');
        break;
      }
    }
  });

  it('notices a package file that changes after it was verified', async () => {
    const file = join(dir, 'changing.apk');
    await writeFile(file, buildApk({ data: [{ name: 'f', content: 'one' }] }));
    const pkg = await readApkPackage(file, { keys: new Map(), requireSignature: false });
    await writeFile(file, buildApk({ data: [{ name: 'f', content: 'two' }] }));
    const read = async () => {
      for await (const _ of streamPackageData(pkg)) {
        // drained
      }
    };
    await expect(read()).rejects.toThrow(PackageVerifyError);
  });

  it('bounds the inflated data part, trailing padding included', async () => {
    const file = join(dir, 'padded.apk');
    await writeFile(file, buildApk({ data: [{ name: 'f', content: 'x' }], dataPadding: 200_000 }));
    const options = { keys: new Map(), requireSignature: false, limits: { maxDataBytes: 100_000 } };
    const read = async () => {
      for await (const _ of streamApkEntries(file, options)) {
        // drained
      }
    };
    await expect(read()).rejects.toThrow(/inflates past 100000 bytes/);
  });
});
