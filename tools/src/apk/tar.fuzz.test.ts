import { describe } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import {
  FuzzFailure,
  chunkCuts,
  chunked,
  fc,
  fuzzTest,
  mutated,
  mutatedLines,
  seedsAndMutants,
} from '../test-support/fuzz.ts';
import { paxRecords } from './apk-builder.support.ts';
import {
  APK_FILES,
  INDEX_FILES,
  generatedTar,
  inflatedMembers,
  repairTarChecksums,
} from './apk-fuzz.support.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { paxInteger, paxSeconds, paxText, parsePaxRecords } from './pax.ts';
import type { PaxRecords } from './pax.ts';
import { TAR_BLOCK, parseTarHeader } from './tar-header.ts';
import { readTarEntries } from './tar-reader.ts';
import type { TarReadLimits } from './tar-reader.ts';

const SOURCE = { file: 'fuzz.tar' };
const LIMITS: TarReadLimits = {
  maxEntries: 200,
  maxFileBytes: 1 << 20,
  maxPaxBytes: 64 * 1024,
  maxPaxRecords: 64,
  maxLongNameBytes: 4096,
  maxArchiveBytes: 8 << 20,
};

const REAL = inflatedMembers([...APK_FILES, ...INDEX_FILES]);

/** Real and generated archives, mutated, with their header checksums repaired or not. */
const archives = fc
  .tuple(fc.oneof(seedsAndMutants(REAL), seedsAndMutants(generatedTar)), fc.boolean())
  .map(([input, repair]) =>
    repair ? mutated(input.seed, repairTarChecksums(input.bytes)) : input,
  );

async function readAll(chunks: readonly Uint8Array[]): Promise<number> {
  const queue = new ByteReader(chunks);
  let entries = 0;
  let bytes = 0;
  for await (const entry of readTarEntries(queue, SOURCE, LIMITS)) {
    entries += 1;
    bytes += entry.content?.length ?? 0;
    if (entries > LIMITS.maxEntries || (entry.content?.length ?? 0) > LIMITS.maxFileBytes) {
      throw new FuzzFailure(`entry ${entries} of ${entry.content?.length} bytes passed the limits`);
    }
  }
  if (queue.position > LIMITS.maxArchiveBytes + TAR_BLOCK || bytes > LIMITS.maxArchiveBytes) {
    throw new FuzzFailure(`read ${queue.position} bytes, past the ${LIMITS.maxArchiveBytes} limit`);
  }
  return entries;
}

const PAX_SEEDS = [
  new TextDecoder().decode(
    paxRecords({
      path: 'usr/lib/a-very-long-name',
      size: '12345',
      mtime: '1700000000.25',
      uid: '0',
    }),
  ),
  new TextDecoder().decode(
    paxRecords({
      'APK-TOOLS.checksum.SHA1': 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      linkpath: 'x',
    }),
  ),
  new TextDecoder().decode(
    paxRecords({ 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02', gid: '7' }),
  ),
];

/** Single header blocks of the real archives. */
const HEADER_BLOCKS = REAL.flatMap((archive) =>
  archive.length >= TAR_BLOCK ? [archive.subarray(0, TAR_BLOCK)] : [],
);

describe('tar and pax fuzz', () => {
  fuzzTest('the tar reader reads or refuses any archive, however it is chunked', {
    parser: 'tar archive',
    runs: 5000,
    inputs: fc.tuple(archives, chunkCuts),
    parse: ([{ bytes }, cuts]) => readAll(chunked(bytes, cuts)),
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PackageFormatError],
  });

  fuzzTest('pax records and the fields read from them parse or are refused', {
    parser: 'pax records',
    runs: 5000,
    inputs: mutatedLines(
      PAX_SEEDS,
      fc.string({ maxLength: 30 }).map((line) => `${line.length + 4} ${line}`),
    ),
    parse: (text) => {
      const records: PaxRecords = new Map();
      parsePaxRecords(new TextEncoder().encode(text), records, SOURCE, LIMITS.maxPaxRecords);
      return [
        paxText(records, 'path', SOURCE),
        paxInteger(records, 'size', SOURCE),
        paxInteger(records, 'uid', SOURCE),
        paxSeconds(records, 'mtime', SOURCE),
      ];
    },
    errors: [PackageFormatError],
  });

  fuzzTest('a header block parses or is refused', {
    parser: 'tar header',
    runs: 5000,
    inputs: fc
      .tuple(
        seedsAndMutants(HEADER_BLOCKS, { focus: () => ({ start: 0, end: TAR_BLOCK }) }),
        fc.boolean(),
      )
      .map(([input, repair]) => {
        const block = new Uint8Array(TAR_BLOCK);
        block.set(input.bytes.subarray(0, TAR_BLOCK));
        return mutated(input.seed, repair ? repairTarChecksums(block) : block);
      }),
    parse: ({ bytes }) => parseTarHeader(bytes, SOURCE),
    errors: [PackageFormatError],
  });
});
