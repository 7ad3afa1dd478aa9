/** Images for the reader's tests: real ones made by xorriso, and hand-made ones it cannot make. */

import { createRunner } from '../core/run.ts';

const runner = createRunner({ sourceDateEpoch: 1_700_000_000 });

/** `xorriso -as mkisofs <options> -o <out> <source>`. */
export async function makeIso(
  source: string,
  out: string,
  options: readonly string[],
): Promise<void> {
  await runner.run(['xorriso', '-no_rc', '-as', 'mkisofs', ...options, '-o', out, source], {
    timeoutMs: 60_000,
  });
}

/** A Rock Ridge image whose directories deeper than 8 levels are moved to `rr_moved`. */
export async function makeRelocatedIso(source: string, out: string): Promise<void> {
  await runner.run(
    [
      'xorriso',
      '-no_rc',
      '-compliance',
      'deep_paths_off',
      '-rr_reloc_dir',
      'rr_moved',
      '-rockridge',
      'on',
      '-outdev',
      out,
      '-map',
      source,
      '/',
      '-commit',
    ],
    { timeoutMs: 60_000 },
  );
}

const BLOCK = 2048;

export interface HandmadeFile {
  /** The identifier as written, e.g. `BIG.BIN;1`. */
  readonly identifier: string;
  /** The file's extents in file order; they are laid out in the image in reverse. */
  readonly extents: readonly Uint8Array[];
  /** SUSP entries of its (first) record. */
  readonly systemUse?: Uint8Array;
}

export interface HandmadeOptions {
  /** Replaces the root's file records (to damage them). */
  readonly damage?: (records: Uint8Array[]) => Uint8Array[];
  /** SUSP entries of the root's `.` record (its `SP` entry). */
  readonly rootSystemUse?: Uint8Array;
  /** Written at {@link CONTINUATION_BLOCK}, for `CE` entries to point at. */
  readonly continuation?: Uint8Array;
}

/** The block a hand-made image keeps for a SUSP continuation area. */
export const CONTINUATION_BLOCK = 19;

/** One SUSP entry: signature, length, version 1, data. */
export function suspEntry(signature: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + data.length);
  bytes.set(new TextEncoder().encode(signature), 0);
  bytes[2] = bytes.length;
  bytes[3] = 1;
  bytes.set(data, 4);
  return bytes;
}

/** A `CE` entry pointing at `length` bytes at `offset` in {@link CONTINUATION_BLOCK}. */
export function continuationEntry(offset: number, length: number): Uint8Array {
  const data = new Uint8Array(24);
  const view = new DataView(data.buffer);
  bothEndian32(view, 0, CONTINUATION_BLOCK);
  bothEndian32(view, 8, offset);
  bothEndian32(view, 16, length);
  return suspEntry('CE', data);
}

function bothEndian32(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value, true);
  view.setUint32(offset + 4, value, false);
}

function record(
  identifier: Uint8Array,
  block: number,
  length: number,
  flags: number,
  systemUse: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const base = 33 + identifier.length + (identifier.length % 2 === 0 ? 1 : 0);
  const size = base + systemUse.length + ((base + systemUse.length) % 2);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = size;
  bothEndian32(view, 2, block);
  bothEndian32(view, 10, length);
  bytes[25] = flags;
  view.setUint16(28, 1, true);
  view.setUint16(30, 1, false);
  bytes[32] = identifier.length;
  bytes.set(identifier, 33);
  bytes.set(systemUse, base);
  return bytes;
}

/**
 * A minimal ISO 9660 image: descriptors at 16 and 17, the root directory at 18, a block kept
 * for a continuation area at 19, then the files' extents, each padded to whole blocks. A file
 * with several extents gets one directory record per extent, all but the last flagged "not
 * final": a multi-extent file, as xorriso writes only for files of more than 4 GiB.
 */
export function handmadeIso(files: readonly HandmadeFile[], options: HandmadeOptions = {}): Buffer {
  const extents: { data: Uint8Array; block: number }[] = [];
  let next = CONTINUATION_BLOCK + 1;
  const fileRecords: Uint8Array[] = [];
  for (const file of files) {
    const placed = [...file.extents].reverse().map((data) => {
      const at = { data, block: next };
      next += Math.max(1, Math.ceil(data.length / BLOCK));
      extents.push(at);
      return at;
    });
    placed.reverse().forEach(({ data, block }, index) => {
      const final = index === placed.length - 1;
      const identifier = new TextEncoder().encode(file.identifier);
      const systemUse = index === 0 ? file.systemUse : undefined;
      fileRecords.push(record(identifier, block, data.length, final ? 0 : 0x80, systemUse));
    });
  }
  const image = Buffer.alloc(next * BLOCK);
  const root = [
    record(Uint8Array.of(0), 18, BLOCK, 0x02, options.rootSystemUse),
    record(Uint8Array.of(1), 18, BLOCK, 0x02),
    ...(options.damage === undefined ? fileRecords : options.damage(fileRecords)),
  ];
  let offset = 18 * BLOCK;
  for (const bytes of root) {
    image.set(bytes, offset);
    offset += bytes.length;
  }
  for (const { data, block } of extents) image.set(data, block * BLOCK);
  if (options.continuation !== undefined)
    image.set(options.continuation, CONTINUATION_BLOCK * BLOCK);

  const pvd = image.subarray(16 * BLOCK, 17 * BLOCK);
  const view = new DataView(pvd.buffer, pvd.byteOffset, BLOCK);
  pvd[0] = 1;
  pvd.set(new TextEncoder().encode('CD001'), 1);
  pvd[6] = 1;
  bothEndian32(view, 80, next);
  view.setUint16(120, 1, true);
  view.setUint16(124, 1, true);
  view.setUint16(128, BLOCK, true);
  view.setUint16(130, BLOCK, false);
  pvd.set(record(Uint8Array.of(0), 18, BLOCK, 0x02), 156);
  const terminator = image.subarray(17 * BLOCK, 18 * BLOCK);
  terminator[0] = 255;
  terminator.set(new TextEncoder().encode('CD001'), 1);
  terminator[6] = 1;
  return image;
}
