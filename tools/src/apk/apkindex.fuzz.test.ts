import { gzipSync } from 'node:zlib';
import { beforeAll, describe } from 'vitest';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { FuzzFailure, fc, fuzzTest, seedsAndMutants } from '../test-support/fuzz.ts';
import { adbFile, buildApkIndex } from './apk-builder.support.ts';
import { APK_FILES, INDEX_FILES, generatedTar } from './apk-fuzz.support.ts';
import { loadApkKeys } from './apk-keys.ts';
import type { ApkKeys } from './apk-keys.ts';
import { readApkIndex } from './apkindex.ts';
import { readGzipMember, splitGzipMembers } from './gzip-members.ts';
import type { GzipMember } from './gzip-members.ts';
import type { ApkLimits } from './limits.ts';

const LIMITS: Partial<ApkLimits> = {
  maxGzipMembers: 64,
  maxMemberBytes: 8 << 20,
  maxIndexBytes: 8 << 20,
  maxEntries: 1000,
};

let keys: ApkKeys;
beforeAll(async () => {
  keys = await loadApkKeys([fixture('keys', 'test'), fixture('keys', 'alpine')]);
});

/** Gzip members with every optional header field: extra, name, comment, header CRC. */
function gzipWithFlags(data: Uint8Array, flags: number): Uint8Array {
  const plain = gzipSync(data);
  const header = [0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3];
  const extra = flags & 0x04 ? [4, 0, 0x41, 0x42, 2, 0] : [];
  const name = flags & 0x08 ? [...new TextEncoder().encode('name.tar'), 0] : [];
  const comment = flags & 0x10 ? [...new TextEncoder().encode('a comment'), 0] : [];
  const crc = flags & 0x02 ? [0x12, 0x34] : [];
  return Buffer.concat([
    Uint8Array.from([...header, ...extra, ...name, ...comment, ...crc]),
    plain.subarray(10),
  ]);
}

const generatedGzip: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.uint8Array({ maxLength: 2000 }), generatedTar),
      fc.constantFrom(0, 0x02, 0x04, 0x08, 0x10, 0x1e),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((members) => Buffer.concat(members.map(([data, flags]) => gzipWithFlags(data, flags))));

/** apk-tools 3 (ADB) files, which are refused by name: plain, deflated, and with a compression spec. */
const ADB_FILES = [adbFile('indx', '.'), adbFile('indx', 'd'), adbFile('pckg', 'c')];

const generatedIndex: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      version: fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}-r[0-9]$/),
      depends: fc.array(fc.stringMatching(/^[a-z:.]{1,10}([<>=~]{1,2}[0-9.]{1,4})?$/), {
        maxLength: 3,
      }),
    }),
    { maxLength: 5 },
  )
  .map((records) =>
    buildApkIndex(
      records.map((r) => `P:${r.name}\nV:${r.version}\nD:${r.depends.join(' ')}\n`).join('\n'),
      [],
    ),
  );

function checkMembers(members: GzipMember[], input: Uint8Array): void {
  let expected = 0;
  for (const member of members) {
    if (member.start !== expected || member.end <= member.start || member.end > input.length) {
      throw new FuzzFailure(`member ${member.start}..${member.end} does not follow ${expected}`);
    }
    if (member.inflatedSize > (LIMITS.maxMemberBytes ?? 0)) {
      throw new FuzzFailure(`member inflates to ${member.inflatedSize} bytes, past the limit`);
    }
    expected = member.end;
  }
  if (expected !== input.length)
    throw new FuzzFailure(`members end at ${expected} of ${input.length}`);
}

describe('APKINDEX and gzip fuzz', () => {
  fuzzTest('gzip members split, report truncation, or are refused', {
    parser: 'gzip members',
    runs: 4000,
    inputs: fc.tuple(
      fc.oneof(seedsAndMutants([...APK_FILES, ...INDEX_FILES]), seedsAndMutants(generatedGzip)),
      fc.nat(),
    ),
    parse: ([{ bytes }, cut]) => {
      // A caller reading piece by piece first sees only the start of the file.
      readGzipMember(
        bytes.subarray(0, cut % (bytes.length + 1)),
        0,
        { file: 'fuzz' },
        LIMITS.maxMemberBytes,
      );
      return splitGzipMembers(bytes, {
        file: 'fuzz.gz',
        maxMembers: LIMITS.maxGzipMembers,
        maxMemberBytes: LIMITS.maxMemberBytes,
      });
    },
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PackageFormatError],
    check: (members, [{ bytes }]) => checkMembers(members as GzipMember[], bytes),
  });

  fuzzTest('an APKINDEX.tar.gz reads, fails its signature, or is refused', {
    parser: 'APKINDEX.tar.gz',
    runs: 4000,
    inputs: fc.tuple(
      fc.oneof(seedsAndMutants([...INDEX_FILES, ...ADB_FILES]), seedsAndMutants(generatedIndex)),
      fc.boolean(),
    ),
    parse: ([{ bytes }, signed]) =>
      readApkIndex(bytes, {
        keys: signed ? keys : new Map(),
        requireSignature: signed,
        file: 'APKINDEX.tar.gz',
        limits: LIMITS,
      }),
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PackageFormatError, PackageVerifyError],
    check: (result) => {
      const { text } = result as { text: string };
      if (text.length > (LIMITS.maxIndexBytes ?? 0))
        throw new FuzzFailure('index text past the limit');
    },
  });
});
