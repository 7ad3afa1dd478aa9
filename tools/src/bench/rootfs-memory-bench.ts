import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRunner } from '../core/run.ts';
import { writeBigApk } from './big-apk.ts';
import { writeBigRpm } from './big-rpm.ts';
import { formatMemoryBench } from './harness.ts';
import type { MemoryResult } from './harness.ts';
import { mksquashfsArgv } from './mksquashfs-reference.ts';

const MiB = 1024 * 1024;
/** What a build may use at its peak, whatever the size of the files in its packages. */
export const MAX_PEAK_MIB = 512;
const CHILD = fileURLToPath(new URL('./rootfs-memory-child.ts', import.meta.url));

interface ChildReport {
  readonly maxRssKiB: number;
  readonly ms: number;
  readonly error?: string;
}

/**
 * Peak memory of the root filesystem and squashfs steps for a package holding one file of
 * `fileMiB` MiB (zeros: quick to compress, so memory and not CPU is what is measured), each run
 * in a process of its own:
 *
 * - the .apk as a build reads it (signature, data hash, entries, tree, content store, squashfs);
 * - the same package with its file's content handed over in 1 MiB chunks, as a streaming
 *   package reader does: the tree, the content store and the squashfs writer alone;
 * - an .rpm holding the same file (gzip payload) as a build reads it (digests, entries, tree,
 *   content store, squashfs);
 *
 * against mksquashfs packing the same file from a folder (peak from GNU time).
 */
export async function runRootfsMemoryBenchmark(fileMiB: number): Promise<string> {
  const runner = createRunner();
  const work = await mkdtemp(join(tmpdir(), 'rootfs-memory-'));
  try {
    const size = fileMiB * MiB;
    const apk = await writeBigApk(work, size);
    const keyFile = join(work, apk.keyName);
    await writeFile(keyFile, apk.publicKey);
    const rpm = await writeBigRpm(work, size);

    const reference = join(work, 'reference');
    await mkdir(join(reference, 'srv'), { recursive: true });
    await writeFile(join(reference, 'srv', 'blob'), '');
    await truncate(join(reference, 'srv', 'blob'), size);
    const started = performance.now();
    const time = await runner.run([
      '/usr/bin/time',
      '-f',
      '%M',
      ...mksquashfsArgv(reference, join(work, 'reference.sqfs')),
    ]);
    const baseline = {
      name: 'mksquashfs',
      peakMiB: Number(time.stderr.trim().split('\n').at(-1)) / 1024,
      ms: performance.now() - started,
    };

    const measure = async (
      mode: 'apk' | 'streamed' | 'rpm',
      name: string,
    ): Promise<MemoryResult> => {
      const dir = join(work, mode);
      await mkdir(dir);
      const input = mode === 'rpm' ? [rpm] : [apk.file, keyFile, apk.keyName];
      const { stdout } = await runner.run([
        process.execPath,
        ...process.execArgv,
        CHILD,
        mode,
        ...input,
        dir,
      ]);
      await rm(dir, { recursive: true, force: true });
      const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildReport;
      return {
        name,
        peakMiB: report.maxRssKiB / 1024,
        ms: report.ms,
        baseline: { name: baseline.name, peakMiB: baseline.peakMiB },
        maxMiB: MAX_PEAK_MIB,
        ...(report.error === undefined ? {} : { error: report.error }),
      };
    };
    const results = [
      await measure('apk', `build from the .apk (${fileMiB} MiB file)`),
      await measure('streamed', `tree + store + squashfs, content streamed (${fileMiB} MiB file)`),
      await measure('rpm', `build from the .rpm (${fileMiB} MiB file)`),
    ];
    return formatMemoryBench(
      `Peak memory of the rootfs and squashfs steps (mksquashfs: ${(baseline.ms / 1000).toFixed(1)} s)`,
      results,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
