import { afterAll, beforeAll, describe } from 'vitest';
import { ScratchDir, fc, fuzzTest, seedsAndMutants } from '../test-support/fuzz.ts';
import { IsoFormatError, IsoPathError } from './errors.ts';
import { openIsoImage } from './image.ts';
import {
  CONTINUATION_BLOCK,
  continuationEntry,
  handmadeIso,
  suspEntry,
} from './test-images.support.ts';
import type { HandmadeFile } from './test-images.support.ts';

const BLOCK = 2048;
const text = (value: string) => new TextEncoder().encode(value);
const le32Both = (value: number) => {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, value, true);
  view.setUint32(4, value, false);
  return bytes;
};

/** The SUSP `SP` entry that announces Rock Ridge in the root's `.` record. */
const SP = suspEntry('SP', Uint8Array.of(0xbe, 0xef, 0));

/** Rock Ridge entries of one record: names, symlink components, modes, relocation links. */
const rockRidgeEntry: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.constantFrom(0, 1, 2, 4), fc.string({ maxLength: 30 }))
    .map(([flags, name]) => suspEntry('NM', Uint8Array.from([flags, ...text(name)]))),
  fc
    .array(
      fc
        .tuple(fc.constantFrom(0, 1, 2, 4, 8), fc.string({ maxLength: 12 }))
        .map(([flags, part]) => {
          const bytes = text(part);
          return Uint8Array.from([flags, bytes.length, ...bytes]);
        }),
      { maxLength: 4 },
    )
    .map((components) => suspEntry('SL', Buffer.concat([Uint8Array.of(0), ...components]))),
  fc
    .constantFrom(0o100644, 0o40755, 0o120777, 0o20666)
    .map((mode) =>
      suspEntry('PX', Buffer.concat([le32Both(mode), le32Both(1), le32Both(0), le32Both(0)])),
    ),
  fc.constantFrom(18, 19, 20, 0, 0xffffffff).map((block) => suspEntry('CL', le32Both(block))),
  fc.constant(suspEntry('RE', new Uint8Array())),
  fc.constant(suspEntry('ST', new Uint8Array())),
  fc
    .tuple(fc.nat({ max: 2100 }), fc.nat({ max: 300 }))
    .map(([offset, length]) => continuationEntry(offset, length)),
);

const identifier = fc.oneof(
  fc.stringMatching(/^[A-Z0-9_]{1,8}\.[A-Z0-9]{0,3};1$/),
  fc.stringMatching(/^[A-Z0-9_]{1,8}$/),
);

const handmadeFile: fc.Arbitrary<HandmadeFile> = fc.record({
  identifier,
  extents: fc.array(fc.uint8Array({ maxLength: 3000 }), { minLength: 1, maxLength: 3 }),
  systemUse: fc.array(rockRidgeEntry, { maxLength: 4 }).map((entries) => Buffer.concat(entries)),
});

/** Hand-made images: plain, or Rock Ridge with a continuation area that holds more entries. */
const images: fc.Arbitrary<Uint8Array> = fc
  .record({
    files: fc.uniqueArray(handmadeFile, { maxLength: 5, selector: (file) => file.identifier }),
    rockRidge: fc.boolean(),
    continuation: fc.array(rockRidgeEntry, { maxLength: 4 }),
  })
  .map(
    ({ files, rockRidge, continuation }) =>
      new Uint8Array(
        handmadeIso(files, {
          ...(rockRidge ? { rootSystemUse: SP } : {}),
          continuation: Buffer.concat(continuation),
        }),
      ),
  );

/** Mutations go to the volume descriptors, the root directory and the continuation block. */
const metadataFocus = () => ({ start: 16 * BLOCK, end: (CONTINUATION_BLOCK + 1) * BLOCK });

const MAX_DIRECTORIES = 64;
const MAX_DEPTH = 12;
const MAX_READ = 1 << 20;

/** Lists every directory (bounded: relocation links can make cycles), stats and reads each file. */
async function walk(path: string): Promise<number> {
  const image = await openIsoImage(path);
  try {
    let visited = 0;
    let read = 0;
    const queue: { dir: string; depth: number }[] = [{ dir: '', depth: 0 }];
    while (queue.length > 0 && visited < MAX_DIRECTORIES) {
      const { dir, depth } = queue.shift() ?? { dir: '', depth: 0 };
      visited += 1;
      for (const entry of await image.list(dir)) {
        const child = dir === '' ? entry.name : `${dir}/${entry.name}`;
        await image.stat(child);
        if (entry.type === 'directory') {
          if (depth < MAX_DEPTH) queue.push({ dir: child, depth: depth + 1 });
        } else if (entry.type === 'file' && read < MAX_READ) {
          for await (const chunk of await image.createReadStream(entry, { chunkSize: 4096 })) {
            read += (chunk as Buffer).length;
            if (read >= MAX_READ) break;
          }
        }
      }
    }
    return visited;
  } finally {
    await image.close();
  }
}

const scratch = new ScratchDir();
beforeAll(() => scratch.open('iso-fuzz-'));
afterAll(() => scratch.close());

describe('ISO 9660 fuzz', () => {
  fuzzTest('an image with SUSP and Rock Ridge entries opens, lists and reads, or is refused', {
    parser: 'ISO 9660 / Rock Ridge',
    runs: 2000,
    inputs: seedsAndMutants(images, { focus: metadataFocus, maxMutations: 8 }),
    parse: ({ bytes }) => walk(scratch.write('image.iso', bytes)),
    errors: [IsoFormatError, IsoPathError],
  });
});
