import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Partition } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import { createReporter } from '../core/step.ts';
import { LIVE_MEDIUM_MODULES } from '../initramfs/index.ts';
import { EPOCH } from '../rootfs/rootfs.support.ts';
import { applyOverlay } from '../rootfs/index.ts';
import { cacheIn } from '../stage-cache/stage-cache.support.ts';
import { makeTempDir, newTree } from '../rootfs/rootfs.support.ts';
import type { TempDir } from '../rootfs/rootfs.support.ts';
import { buildLiveInitramfs } from './initramfs-stage.ts';
import { findKernel } from './kernel.ts';
import { StageClock } from './stage-clock.ts';

const RELEASE = '9.9.9-stage';
const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

/** An image with busybox and a kernel that has only `builtin`, all of them built in. */
async function imageWithKernel(dir: string, builtin: readonly string[]) {
  const root = join(dir, 'root');
  const modules = join(root, 'lib', 'modules', RELEASE);
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'boot'), { recursive: true });
  await mkdir(modules, { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  await writeFile(join(root, 'boot', `vmlinuz-${RELEASE}`), 'kernel');
  await writeFile(
    join(modules, 'modules.builtin'),
    builtin.map((name) => `kernel/${name}.ko\n`).join(''),
  );
  const tree = newTree(dir);
  await applyOverlay(tree, { dir: root, permissions: [] });
  return { tree, kernel: await findKernel(tree, 'linux-test') };
}

const spec = (filesystem: Partition['filesystem']) => ({
  kernel: { package: 'linux-test', cmdline: [] },
  disk: {
    partitions: [
      { label: 'EFI', role: 'esp', size: '1GiB', filesystem: 'vfat' },
      { label: 'system-a', role: 'system', slot: 'a', size: '8GiB', filesystem },
    ] satisfies Partition[],
  },
});

describe('the initramfs stage', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = makeTempDir('initramfs-stage');
  });
  afterEach(() => temp.cleanup());

  it("fails, naming itself, when the kernel lacks the disk's file system", async () => {
    const { tree, kernel } = await imageWithKernel(temp.dir, [...LIVE_MEDIUM_MODULES, 'ext4']);
    const clock = new StageClock(quiet);
    const failure = await clock
      .run('build the initramfs', () => buildLiveInitramfs(tree, kernel, spec('xfs'), 0))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).code).toBe('initramfs-module-missing');
    expect((failure as UserError).message).toMatch(
      /^failed to build the initramfs: the kernel 9\.9\.9-stage from linux-test has neither as a module nor built in: xfs;/,
    );
  });

  it('builds when the kernel has every required module, reporting the optional ones missing', async () => {
    const { tree, kernel } = await imageWithKernel(temp.dir, [...LIVE_MEDIUM_MODULES, 'xfs']);
    const { report } = await buildLiveInitramfs(tree, kernel, spec('xfs'), 0);
    expect(report.builtinModules).toEqual(expect.arrayContaining([...LIVE_MEDIUM_MODULES, 'xfs']));
    expect(report.missingModules).toEqual(expect.arrayContaining(['nvme', 'ext4', 'vfat']));
    expect(report.missingModules).not.toContain('xfs');
  });

  it('is reused while what it read from the image is unchanged, and made again when not', async () => {
    const { tree, kernel } = await imageWithKernel(temp.dir, [...LIVE_MEDIUM_MODULES, 'xfs']);
    const cache = cacheIn(join(temp.dir, 'stages'));
    const cold = await buildLiveInitramfs(tree, kernel, spec('xfs'), 0);
    const first = await buildLiveInitramfs(tree, kernel, spec('xfs'), 0, cache);
    const meta = { mode: 0o644, uid: 0, gid: 0, mtime: EPOCH, xattrs: {} };
    await tree.writeFile(
      '/boot/README',
      Buffer.from('not read by the initramfs\n'),
      meta,
      'overlay',
    );
    const second = await buildLiveInitramfs(tree, kernel, spec('xfs'), 0, cache);
    const builtin = `/lib/modules/${RELEASE}/modules.builtin`;
    const text = `${[...LIVE_MEDIUM_MODULES, 'xfs', 'ext4'].map((name) => `kernel/${name}.ko`).join('\n')}\n`;
    await tree.writeFile(builtin, Buffer.from(text), meta, 'overlay');
    const changed = await buildLiveInitramfs(tree, kernel, spec('xfs'), 0, cache);
    const otherSpec = await buildLiveInitramfs(tree, kernel, spec('ext4'), 0, cache);

    expect(Buffer.from(first.bytes).equals(Buffer.from(cold.bytes))).toBe(true);
    expect(Buffer.from(second.bytes).equals(Buffer.from(cold.bytes))).toBe(true);
    expect(second.report).toEqual(cold.report);
    expect(changed.report.builtinModules).toContain('ext4');
    expect(
      Buffer.from(changed.bytes).equals(
        Buffer.from((await buildLiveInitramfs(tree, kernel, spec('xfs'), 0)).bytes),
      ),
    ).toBe(true);
    expect(otherSpec.report.builtinModules).toContain('ext4');
    expect(cache.outcomes.map((outcome) => outcome.outcome)).toEqual([
      'miss',
      'hit',
      'miss',
      'miss',
    ]);
  });
});
