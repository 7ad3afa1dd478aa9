import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedPackage } from '../backend/types.ts';
import { PackageFormatError } from '../packages/errors.ts';
import { ImageTree } from './image-tree.ts';
import type { InstallablePackage } from './package-install.ts';
import { applyOverlay } from './overlay.ts';
import {
  EPOCH,
  PACKAGE_TIME,
  makeTempDir,
  runner,
  spiedContentStore,
  syntheticPackage,
} from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';
import { writeSquashfs } from './squashfs-image.ts';

const MiB = 1 << 20;
const CHUNK = 64 * 1024;
const SIZE = 8 * MiB;

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir('streaming');
});
afterEach(() => temp.cleanup());

/** Chunk `index` of the big file: printable, different in every chunk. */
function chunk(index: number): Uint8Array {
  return Buffer.alloc(CHUNK, String.fromCharCode(65 + (index % 26)));
}

async function* chunks(count = SIZE / CHUNK): AsyncIterable<Uint8Array> {
  for (let index = 0; index < count; index++) yield chunk(index);
}

function expectedDigest(): string {
  const hash = createHash('sha256');
  for (let index = 0; index < SIZE / CHUNK; index++) hash.update(chunk(index));
  return hash.digest('hex');
}

/** A package whose one big file arrives in 64 KiB chunks, as a streaming reader hands it over. */
function streamingPackage(size = SIZE): InstallablePackage {
  const base: VerifiedPackage = syntheticPackage('bigdata', []);
  return {
    ...base,
    async *entries() {
      const common = {
        user: 'root',
        group: 'root',
        uid: 0,
        gid: 0,
        mtime: PACKAGE_TIME,
        flags: [],
      };
      yield { entry: { ...common, path: '/srv', type: 'directory', mode: 0o755, size: 0 } };
      yield {
        entry: { ...common, path: '/srv/blob', type: 'file', mode: 0o644, size },
        content: chunks(),
      };
    },
  };
}

describe('large files stream through the store into the image', () => {
  it('never holds a large file as one buffer, from the package to the squashfs', async () => {
    const { store, largest } = spiedContentStore(join(temp.dir, 'cas'));
    const tree = new ImageTree({ store, epoch: EPOCH });
    await tree.addPackage(streamingPackage());
    await tree.resolveOwners();
    const file = tree.fileAt('/srv/blob')?.node;
    expect(file?.content).toEqual({ sha256: expectedDigest(), size: SIZE });

    const image = join(temp.dir, 'rootfs.sqfs');
    await writeSquashfs(tree, store, image, { compressor: { kind: 'zstd', level: 3 } });
    // The image reads the stored file itself, in 1 MiB chunks (see StoredFile).
    expect(largest).toEqual({ put: 0, putStream: CHUNK, stream: 0 });
    const { stdout } = await runner.run(['unsquashfs', '-cat', image, '/srv/blob']);
    expect(createHash('sha256').update(stdout).digest('hex')).toBe(expectedDigest());
  });

  it('refuses streamed content longer than the entry says, before storing all of it', async () => {
    const { store, largest } = spiedContentStore(join(temp.dir, 'cas'));
    const tree = new ImageTree({ store, epoch: EPOCH });
    const error = await tree.addPackage(streamingPackage(MiB)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PackageFormatError);
    expect((error as Error).message).toContain('/srv/blob: more content than its 1048576 bytes');
    expect(largest.putStream).toBe(CHUNK);
  });

  it('streams large overlay files from the host instead of reading them whole', async () => {
    const { store, largest } = spiedContentStore(join(temp.dir, 'cas'));
    const tree = new ImageTree({ store, epoch: EPOCH });
    await tree.addPackage(syntheticPackage('base', [{ path: '/opt' }]));
    const overlay = join(temp.dir, 'overlay');
    mkdirSync(join(overlay, 'opt'), { recursive: true });
    writeFileSync(join(overlay, 'opt', 'model.bin'), Buffer.alloc(3 * MiB, 7));
    writeFileSync(join(overlay, 'opt', 'small.conf'), 'x=1\n');
    await applyOverlay(tree, { dir: overlay, permissions: [] });
    expect(tree.fileAt('/opt/model.bin')?.node.content.size).toBe(3 * MiB);
    expect(largest.put).toBe(4);
    expect(largest.putStream).toBeLessThanOrEqual(MiB);
  });
});
