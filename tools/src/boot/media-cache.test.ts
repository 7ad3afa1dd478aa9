import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import type { ArtifactCache } from '../stage-cache/index.ts';
import { cacheIn } from '../stage-cache/stage-cache.support.ts';
import { buildBootMedia } from './media.ts';

const EPOCH = 1_700_000_000;
let dir: string;
let kernel: string;
let initrd: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-cache-'));
  kernel = join(dir, 'vmlinuz');
  initrd = join(dir, 'initramfs.img');
  await writeFile(
    kernel,
    new Uint8Array(400_000).map((_, index) => (index * 13) & 0xff),
  );
  await writeFile(initrd, new Uint8Array(50_000).fill(0x42));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let serial = 0;
/** Masters the ISO in a work folder of its own and returns its SHA-256 and the ESP's. */
async function master(cache?: ArtifactCache, cmdline = 'console=ttyS0') {
  serial += 1;
  const workDir = join(dir, `work-${serial}`);
  await mkdir(workDir);
  const media = await buildBootMedia(createRunner(), {
    workDir,
    output: join(workDir, 'live.iso'),
    volumeLabel: 'CACHETEST',
    title: 'Cache test',
    publisher: 'LevitateOS',
    kernel,
    initrd,
    uname: '9.9.9-test',
    osRelease: 'NAME="Test"\nID=test\n',
    cmdline: [cmdline],
    liveUkiName: 'test-live.efi',
    sbat: ['test,1,Test,test,1,https://example.org/'],
    grafts: [],
    epoch: EPOCH,
    ...(cache === undefined ? {} : { cache }),
  });
  const digest = async (file: string) =>
    createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  return { iso: await digest(media.iso), esp: await digest(media.esp) };
}

describe('boot media with a stage cache', () => {
  it('reuses the live UKI and the ESP image for the same inputs, and gives the same ISO', async () => {
    const cache = cacheIn(join(dir, 'stages'));
    const plain = await master();
    const cold = await master(cache);
    const warm = await master(cache);
    const changed = await master(cache, 'console=ttyS1');

    expect(cold).toEqual(plain);
    expect(warm).toEqual(plain);
    expect(changed.esp).not.toBe(plain.esp);
    expect(cache.outcomes.map(({ artifact, outcome }) => `${artifact}: ${outcome}`)).toEqual([
      'live UKI: miss',
      'ESP image: miss',
      'live UKI: hit',
      'ESP image: hit',
      'live UKI: miss',
      'ESP image: miss',
    ]);
  }, 60_000);
});
