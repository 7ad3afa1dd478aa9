import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { MKFS_TIME, makeTempDir } from './test-support.ts';
import type { NodeMeta } from './types.ts';
import { SquashfsWriter } from './writer.ts';

const temp = makeTempDir('errors');
afterAll(() => temp.cleanup());

const meta: NodeMeta = { mode: 0o644, uid: 0, gid: 0, mtime: 1 };
const options = {
  compressor: { kind: 'zstd', level: 1 },
  mkfsTime: MKFS_TIME,
  workers: 1,
} as const;

describe('errors', () => {
  it('names the output file when it cannot be created', () => {
    const file = join(temp.dir, 'missing', 'image.sqfs');
    expect(() => new SquashfsWriter(file, options)).toThrow(
      `squashfs: ${file}: cannot create the image file: No such file or directory`,
    );
  });

  it.skipIf(!existsSync('/dev/full'))('translates libsquashfs I/O errors with errno', () => {
    expect(() => new SquashfsWriter('/dev/full', options)).toThrow(
      'squashfs: /dev/full: writing the super block: SQFS_ERROR_IO (input/output error): pwrite: No space left on device',
    );
  });

  it('reports libsquashfs limits from finish() with the error code', async () => {
    const writer = new SquashfsWriter(join(temp.dir, 'ids.sqfs'), options);
    for (let uid = 0; uid <= 65536; uid += 1) writer.fifo(`/f${uid}`, { ...meta, uid });
    await expect(writer.finish()).rejects.toThrow(
      /finishing: recording owner ids \(at most 65536 distinct ids\): SQFS_ERROR_OVERFLOW \(/,
    );
  }, 60_000);

  it('fails the file and the image when content throws midway', async () => {
    const writer = new SquashfsWriter(join(temp.dir, 'throws.sqfs'), options);
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(100_000);
      throw new Error('disk on fire');
    }
    const failed = writer.file('/broken', meta, broken());
    const queued = writer.file('/after', meta, new Uint8Array(5));
    await expect(failed).rejects.toThrow(/: writing "\/broken": disk on fire$/);
    await expect(queued).rejects.toThrow('disk on fire');
    const error = await writer.finish().then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/throws\.sqfs: writing "\/broken": disk on fire$/);
    expect((error?.cause as Error).message).toBe('disk on fire');
  });

  it('refuses chunks that are not bytes', async () => {
    const writer = new SquashfsWriter(join(temp.dir, 'chunks.sqfs'), options);
    const content = ['text'] as unknown as Iterable<Uint8Array>;
    await expect(writer.file('/f', meta, content)).rejects.toThrow(
      'content of "/f" yielded a non-Uint8Array chunk',
    );
    await expect(writer.finish()).rejects.toThrow('non-Uint8Array chunk');
  });

  it('surfaces a failure of an unawaited file() from finish()', async () => {
    const writer = new SquashfsWriter(join(temp.dir, 'unawaited.sqfs'), options);
    void writer.file('/f', meta, [new Uint8Array(1), 'x' as unknown as Uint8Array]);
    await expect(writer.finish()).rejects.toThrow('yielded a non-Uint8Array chunk');
  });
});
