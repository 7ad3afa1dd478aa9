import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORRUPT_DIR, createContentStore } from './content-store.ts';
import type { ContentStore } from './content-store.ts';
import { ImageTree } from './image-tree.ts';
import { EPOCH, makeTempDir, runner, syntheticPackage } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';
import { writeSquashfs } from './squashfs-image.ts';
import { sweepStaleTemps } from './store-temps.ts';

let temp: TempDir;
let warnings: string[];
let store: ContentStore;

beforeEach(() => {
  temp = makeTempDir('repair');
  warnings = [];
  store = createContentStore(join(temp.dir, 'cas'), { warn: (message) => warnings.push(message) });
});
afterEach(() => temp.cleanup());

const aside = () => readdirSync(join(temp.dir, 'cas', CORRUPT_DIR));

/** A pid that certainly ran and is gone: a child that has exited. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid;
}

describe('a damaged content store', () => {
  it('moves a damaged copy aside and stores the content again when it is put again', async () => {
    const bytes = Buffer.from('#!/bin/sh\necho genuine\n');
    const ref = await store.put(bytes);
    writeFileSync(store.path(ref.sha256), '#!/bin/sh\necho FORGED!\n');
    const again = createContentStore(store.dir, { warn: (message) => warnings.push(message) });
    await again.put(bytes);
    expect(readFileSync(again.path(ref.sha256))).toEqual(bytes);
    expect(aside()).toEqual([expect.stringMatching(new RegExp(`^${ref.sha256}-\\d+$`))]);
    expect(readFileSync(join(store.dir, CORRUPT_DIR, aside()[0] ?? ''), 'utf8')).toContain(
      'FORGED',
    );
    expect(warnings).toEqual([
      expect.stringContaining(`${again.path(ref.sha256)} held content with SHA-256 `),
    ]);
    expect(warnings[0]).toContain(`moved it to ${join(store.dir, CORRUPT_DIR)}`);
  });

  it('re-extracts a file damaged during the build from its package and goes on', async () => {
    const tree = new ImageTree({ store, epoch: EPOCH });
    await tree.addPackage(
      syntheticPackage('musl', [
        { path: '/lib' },
        { path: '/lib/ld-musl-x86_64.so.1', content: 'the loader' },
        { path: '/lib/libc.musl-x86_64.so.1', content: 'the libc' },
      ]),
    );
    await tree.resolveOwners();
    const loader = tree.fileAt('/lib/ld-musl-x86_64.so.1')?.node.content.sha256 ?? '';
    const libc = tree.fileAt('/lib/libc.musl-x86_64.so.1')?.node.content.sha256 ?? '';
    writeFileSync(store.path(loader), 'tampered!!');
    writeFileSync(store.path(libc), 'tampered');

    expect(Buffer.from((await tree.readFile('/lib/ld-musl-x86_64.so.1')) ?? []).toString()).toBe(
      'the loader',
    );
    const image = join(temp.dir, 'rootfs.sqfs');
    await writeSquashfs(tree, store, image, { compressor: { kind: 'zstd', level: 3 } });
    const { stdout } = await runner.run([
      'unsquashfs',
      '-cat',
      image,
      '/lib/libc.musl-x86_64.so.1',
    ]);
    expect(stdout).toBe('the libc');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /holds content with SHA-256 [0-9a-f]{64}, not the content it is named after: moved it to .*\/\.corrupt\/[0-9a-f]{64}-\d+ and wrote it again from musl-1\.0-r0 \(\/synthetic\/musl-1\.0-r0\.apk\), \/lib\/ld-musl-x86_64\.so\.1$/,
    );
    expect(aside()).toHaveLength(2);
  });

  it('re-creates a file that disappeared, and says which package it came from', async () => {
    const tree = new ImageTree({ store, epoch: EPOCH });
    await tree.addPackage(
      syntheticPackage('tzdata', [{ path: '/etc' }, { path: '/etc/TZ', content: 'UTC0\n' }]),
    );
    const sha = tree.fileAt('/etc/TZ')?.node.content.sha256 ?? '';
    await rm(store.path(sha));
    expect(Buffer.from((await tree.readFile('/etc/TZ')) ?? []).toString()).toBe('UTC0\n');
    expect(warnings).toEqual([
      `${store.path(sha)} is no longer there: wrote it again from tzdata-1.0-r0 (/synthetic/tzdata-1.0-r0.apk), /etc/TZ`,
    ]);
  });
});

describe('temporary files of writers that are gone', () => {
  it('are removed when a store starts; those of running processes stay', async () => {
    const dir = join(temp.dir, 'cas');
    await mkdir(dir, { recursive: true });
    const dead = `.tmp-${deadPid()}-0123456789ab`;
    const mine = `.tmp-${process.pid}-0123456789ab`;
    const init = '.tmp-1-0123456789ab';
    const other = '.tmp-notes';
    for (const name of [dead, mine, init, other]) await writeFile(join(dir, name), 'partial');
    await store.put(Buffer.from('first put starts the store'));
    expect(
      readdirSync(dir)
        .filter((name) => name.startsWith('.tmp'))
        .sort(),
    ).toEqual([init, mine, other].sort());
  });

  it('are judged by their pid alone', async () => {
    const dir = join(temp.dir, 'sweep');
    await mkdir(dir);
    for (const name of ['.tmp-100-aa', '.tmp-200-bb', 'deadbeef'])
      await writeFile(join(dir, name), '');
    expect(await sweepStaleTemps(dir, (pid) => pid === 200)).toEqual(['.tmp-100-aa']);
    expect(readdirSync(dir).sort()).toEqual(['.tmp-200-bb', 'deadbeef']);
  });
});
