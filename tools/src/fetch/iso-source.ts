/**
 * Files of repositories inside ISO 9660 images (`file:///srv/Rocky.iso#BaseOS`). They are
 * read from the image in place, never mounted, and copied into the cache as they are
 * measured: backends need a file of their own, and the bytes checked are the bytes kept.
 */

import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IsoFormatError, IsoPathError, openIsoImage } from '../iso9660-reader/index.ts';
import type { IsoImage } from '../iso9660-reader/index.ts';
import type { DigestAlgorithm } from '../packages/model.ts';
import { isMissing } from '../core/atomic-file.ts';
import { contentProblem, createMeasurer } from './digest.ts';
import type { LocalOutcome } from './local-source.ts';
import type { ExpectedContent } from './types.ts';
import { messageOf } from '../core/errors.ts';

/**
 * The images a fetcher reads, each opened once for as long as it is in use: overlapping
 * fetches share a handle (and the directories it has read), which is closed once the image
 * has been idle for `lingerMs`, so that nothing is left open after a build.
 */
export interface IsoImages {
  use<T>(image: string, read: (image: IsoImage) => Promise<T>): Promise<T>;
}

interface OpenImage {
  readonly image: Promise<IsoImage>;
  users: number;
  timer?: NodeJS.Timeout;
}

export function createIsoImages(lingerMs = 1000): IsoImages {
  const open = new Map<string, OpenImage>();
  return {
    async use(path, read) {
      let entry = open.get(path);
      if (entry === undefined) {
        const created: OpenImage = { image: openIsoImage(path), users: 0 };
        open.set(path, created);
        created.image.catch(() => {
          if (open.get(path) === created) open.delete(path);
        });
        entry = created;
      }
      const current = entry;
      clearTimeout(current.timer);
      current.users += 1;
      try {
        return await read(await current.image);
      } finally {
        current.users -= 1;
        if (current.users === 0 && open.get(path) === current) {
          current.timer = setTimeout(() => {
            if (current.users > 0) return;
            open.delete(path);
            void current.image.then((image) => image.close()).catch(() => undefined);
          }, lingerMs);
          current.timer.unref();
        }
      }
    },
  };
}

/** A file inside an image, checked against what is expected and copied to `copyTo`. */
export async function copyFromIso(
  images: IsoImages,
  location: { readonly image: string; readonly path: string },
  expected: ExpectedContent | undefined,
  copyTo: string,
  onBytes?: (done: number) => void,
): Promise<LocalOutcome> {
  try {
    return await images.use(location.image, async (image) => {
      const entry = await image.stat(location.path);
      if (entry.type !== 'file') {
        return { kind: 'failed', reason: `not a regular file (a ${entry.type} in the image)` };
      }
      if (expected?.size !== undefined && entry.size !== expected.size) {
        return {
          kind: 'mismatch',
          reason: `size is ${entry.size} bytes, expected ${expected.size}`,
        };
      }
      const algorithm: DigestAlgorithm | undefined = expected?.digest?.algorithm;
      const measurer = createMeasurer(algorithm);
      let done = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          measurer.update(chunk);
          done += chunk.length;
          onBytes?.(done);
          callback(null, chunk);
        },
      });
      await pipeline(
        await image.createReadStream(entry),
        measure,
        createWriteStream(copyTo, { flags: 'w' }),
      );
      const measured = measurer.result();
      const problem = contentProblem(measured, expected);
      return problem === undefined
        ? { kind: 'found', file: copyTo, measured }
        : { kind: 'mismatch', reason: problem };
    });
  } catch (err) {
    if (err instanceof IsoPathError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) {
      return { kind: 'not-found', reason: 'no such file in the image' };
    }
    if (!(err instanceof IsoFormatError) && !(err instanceof IsoPathError) && isMissing(err)) {
      return { kind: 'not-found', reason: `no such image ${location.image}` };
    }
    return { kind: 'failed', reason: messageOf(err) };
  }
}
