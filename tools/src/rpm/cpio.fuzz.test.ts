import { describe } from 'vitest';
import { writeCpioNewc } from '../boot/cpio.ts';
import type { CpioEntry } from '../boot/cpio.ts';
import { PackageFormatError } from '../packages/errors.ts';
import {
  FuzzFailure,
  chunkCuts,
  chunked,
  fc,
  fuzzTest,
  seedsAndMutants,
} from '../test-support/fuzz.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { newContext } from './context.ts';
import { CpioReader } from './cpio.ts';
import { cpioArchive, newcMember, strippedMember } from './test-builder.ts';

const text = (value: string) => new TextEncoder().encode(value);

/** A member as read back: enough to compare with what was written. */
interface ReadMember {
  readonly name: string;
  readonly mode: number;
  readonly data: Uint8Array;
}

const MAX_MEMBER_BYTES = 1024 * 1024;

async function* stream(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** Reads a whole archive from `chunks`, members and data, up to the trailer. */
async function readArchive(chunks: readonly Uint8Array[]): Promise<ReadMember[]> {
  const reader = new CpioReader(new ByteReader(stream(chunks)), newContext('fuzz.rpm'));
  const members: ReadMember[] = [];
  for (;;) {
    const member = await reader.next();
    if (member.kind === 'trailer') return members;
    const size = member.kind === 'newc' ? member.size : member.index % 64;
    if (size > MAX_MEMBER_BYTES) {
      // What extraction does with a size the header does not back: refuse before reading.
      throw new PackageFormatError({ file: 'fuzz.rpm', message: `member of ${size} bytes` });
    }
    const parts: Uint8Array[] = [];
    await reader.readData(
      size,
      (chunk) => parts.push(chunk.slice()),
      member.kind === 'newc' ? member.checksum : undefined,
    );
    members.push({
      name: member.kind === 'newc' ? member.name : `#${member.index}`,
      mode: member.kind === 'newc' ? member.mode : 0,
      data: Buffer.concat(parts),
    });
  }
}

/** Archives as rpm writes them: newc, crc and the stripped form of v6 packages. */
const SEEDS: Uint8Array[] = [
  cpioArchive(
    newcMember('./usr', 0o40755, new Uint8Array()),
    newcMember('./usr/bin/hello', 0o100755, text('#!/bin/sh\necho hello\n')),
    newcMember('./usr/bin/hi', 0o120777, text('hello')),
  ),
  cpioArchive(
    newcMember('./etc/a.conf', 0o100644, text('a=1\n'), {
      crc: [...text('a=1\n')].reduce((s, b) => s + b, 0),
    }),
    newcMember('./etc/b', 0o100644, new Uint8Array(513).fill(7), { crc: 513 * 7 }),
  ),
  cpioArchive(
    strippedMember(0, text('abc')),
    strippedMember(1, new Uint8Array(9)),
    strippedMember(2, new Uint8Array()),
  ),
  cpioArchive(),
];

const meta = fc.record({
  mode: fc.nat({ max: 0o7777 }),
  uid: fc.nat({ max: 65535 }),
  gid: fc.nat({ max: 65535 }),
  mtime: fc.nat({ max: 0xffffffff }),
});
const segment = fc
  .stringMatching(/^[a-zA-Z0-9_.+-]{1,12}$/)
  .filter((part) => part !== '.' && part !== '..');
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

/** Entries for the initramfs writer, with unique paths. */
const entries: fc.Arbitrary<CpioEntry[]> = fc.uniqueArray(
  fc.oneof(
    fc.record({ type: fc.constant('directory' as const), path, meta }),
    fc.record({
      type: fc.constant('file' as const),
      path,
      meta,
      content: fc.uint8Array({ maxLength: 600 }),
    }),
    fc.record({
      type: fc.constant('symlink' as const),
      path,
      meta,
      target: fc.string({ minLength: 1, maxLength: 40 }),
    }),
    fc.record({
      type: fc.constantFrom('char-device' as const, 'block-device' as const),
      path,
      meta,
      major: fc.nat({ max: 4095 }),
      minor: fc.nat({ max: 0xfffff }),
    }),
  ),
  { maxLength: 8, selector: (entry) => entry.path },
);

const written = entries.map((list) => writeCpioNewc(list));

describe('cpio fuzz', () => {
  fuzzTest('the payload cpio reader reads or refuses any archive, however it is chunked', {
    parser: 'cpio (RPM payload)',
    runs: 5000,
    inputs: fc.tuple(fc.oneof(seedsAndMutants(SEEDS), seedsAndMutants(written)), chunkCuts),
    parse: ([{ bytes }, cuts]) => readArchive(chunked(bytes, cuts)),
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PackageFormatError],
  });

  fuzzTest('what the initramfs writer writes, the cpio reader reads back unchanged', {
    parser: 'cpio (initramfs writer round trip)',
    runs: 2000,
    inputs: fc.tuple(entries, chunkCuts),
    parse: async ([list, cuts]) => {
      const members = await readArchive(chunked(writeCpioNewc(list), cuts));
      return { list, members };
    },
    bytesOf: ([list]) => writeCpioNewc(list),
    errors: [],
    check: (result) => {
      const { list, members } = result as { list: CpioEntry[]; members: ReadMember[] };
      if (members.length !== list.length) {
        throw new FuzzFailure(`${list.length} entries written, ${members.length} read`);
      }
      list.forEach((entry, index) => {
        const member = members[index];
        const data =
          entry.type === 'file'
            ? entry.content
            : entry.type === 'symlink'
              ? text(entry.target)
              : new Uint8Array();
        if (
          member === undefined ||
          member.name !== entry.path ||
          (member.mode & 0o7777) !== entry.meta.mode ||
          !Buffer.from(member.data).equals(Buffer.from(data))
        ) {
          throw new FuzzFailure(`entry ${index} (${entry.path}) did not read back as written`);
        }
      });
    },
  });
});
