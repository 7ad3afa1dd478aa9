import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageTree } from './image-tree.ts';
import { EPOCH, makeTempDir, newTree, syntheticPackage } from './rootfs.support.ts';
import type { SyntheticEntry } from './rootfs.support.ts';
import { writeSquashfs } from './squashfs-image.ts';

const temp = makeTempDir('squashfs-layout');
afterAll(() => temp.cleanup());

const PACKAGES = new Set(['base', 'modules']);
const compressor = { kind: 'zstd', level: 3 } as const;

/** Small files (each one fragment) that sort after /etc: 3 MB of tails, ~24 fragment blocks. */
function moduleFiles(): SyntheticEntry[] {
  return Array.from({ length: 300 }, (_, index) => ({
    path: `/lib/modules/6.6.0/kernel/m${String(index).padStart(3, '0')}.ko`,
    content: `module ${index} `.repeat(700 + (index % 50)),
  }));
}

let tree: ImageTree;
beforeAll(async () => {
  tree = newTree(temp.dir);
  await tree.addPackage(
    syntheticPackage('base', [
      { path: '/etc' },
      { path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
      { path: '/etc/group', content: 'root:x:0:\n' },
    ]),
  );
  await tree.addPackage(
    syntheticPackage('modules', [
      { path: '/lib' },
      { path: '/lib/modules' },
      { path: '/lib/modules/6.6.0' },
      { path: '/lib/modules/6.6.0/kernel' },
      ...moduleFiles(),
    ]),
  );
  await tree.resolveOwners();
  await setMotd('Welcome\n');
});

/** A message of the day grown by more than a module's size, so every later tail moves. */
const BANNER = `Welcome\n${'*'.repeat(72)}\n`.repeat(300);

async function setMotd(text: string): Promise<void> {
  const meta = { mode: 0o644, uid: 0, gid: 0, mtime: EPOCH, xattrs: {} };
  await tree.writeFile('/etc/motd', Buffer.from(text), meta, 'overlay');
}

let serial = 0;
async function write(options: { cache?: string; packages?: ReadonlySet<string> }) {
  serial += 1;
  const image = join(temp.dir, `image-${serial}.sqfs`);
  const summary = await writeSquashfs(tree, tree.store, image, {
    compressor,
    workers: 2,
    ...(options.cache === undefined ? {} : { blockCache: options.cache }),
    ...(options.packages === undefined ? {} : { packages: options.packages }),
  });
  const digest = createHash('sha256').update(readFileSync(image)).digest('hex');
  return { digest, misses: summary.blockCache?.misses ?? -1, hits: summary.blockCache?.hits };
}

function freshCache(name: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  return dir;
}

describe('squashfs data layout with a block cache', () => {
  it('an edited overlay file recompresses only the last blocks; reverted, the image is the first one again', async () => {
    const cache = freshCache('packages-first');
    await setMotd('Welcome\n');
    const cold = await write({ cache, packages: PACKAGES });
    const plain = await write({ packages: PACKAGES });
    await setMotd(BANNER);
    const edited = await write({ cache, packages: PACKAGES });
    const editedCold = await write({ packages: PACKAGES });
    await setMotd('Welcome\n');
    const reverted = await write({ cache, packages: PACKAGES });

    expect(cold.digest).toBe(plain.digest);
    expect(cold.misses).toBeGreaterThan(20);
    expect(edited.digest).toBe(editedCold.digest);
    expect(edited.digest).not.toBe(cold.digest);
    expect(edited.misses).toBeLessThanOrEqual(4);
    expect(reverted).toMatchObject({ digest: cold.digest, misses: 0 });
  }, 60_000);

  it('in plain path order, the same edit moves every later fragment', async () => {
    const cache = freshCache('path-order');
    await setMotd('Welcome\n');
    const cold = await write({ cache });
    await setMotd(BANNER);
    const edited = await write({ cache });
    await setMotd('Welcome\n');

    expect(edited.misses).toBeGreaterThan(cold.misses / 2);
  }, 60_000);
});
