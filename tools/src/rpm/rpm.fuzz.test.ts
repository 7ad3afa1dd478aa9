import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe } from 'vitest';
import { contentBytes } from '../packages/content.ts';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import {
  FuzzFailure,
  ScratchDir,
  applyMutations,
  fc,
  fuzzTest,
  mutated,
  mutation,
  seedsAndMutants,
} from '../test-support/fuzz.ts';
import type { Focus, Mutated } from '../test-support/fuzz.ts';
import { newContext } from './context.ts';
import { inspectRpm } from './inspect.ts';
import { LEAD_SIZE, parseLead } from './lead.ts';
import { streamRpmEntries } from './stream.ts';
import { SigTag, Tag } from './tags.ts';
import {
  assembleRpm,
  buildHeader,
  buildRpm,
  cpioArchive,
  newcMember,
  packageTags,
  sha256,
  str,
  strippedMember,
} from './test-builder.ts';
import type { TagSpec, TagValue, TestFile } from './test-builder.ts';
import { verifyRpm } from './verify.ts';

/** Every RPM of the fixtures no larger than `maxBytes`. */
function fixtureRpms(maxBytes: number, pattern = /\.rpm$/): Uint8Array[] {
  const found: Uint8Array[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else if (name.endsWith('.rpm') && pattern.test(name) && info.size <= maxBytes) {
        found.push(new Uint8Array(readFileSync(path)));
      }
    }
  };
  walk(fixture('rpm'));
  return found;
}

const FIXTURES = fixtureRpms(64 * 1024);

/** Where the lead, the two headers and the payload of an RPM start, when it is readable. */
function payloadOffset(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = (at: number) =>
    at + 16 > bytes.length
      ? undefined
      : at + 16 + view.getUint32(at + 8) * 16 + view.getUint32(at + 12);
  const signatureEnd = headerEnd(LEAD_SIZE);
  if (signatureEnd === undefined) return undefined;
  const main = LEAD_SIZE + Math.ceil((signatureEnd - LEAD_SIZE) / 8) * 8;
  const end = headerEnd(main);
  return end === undefined || end > bytes.length ? undefined : end;
}

const headerFocus = (bytes: Uint8Array): Focus => ({
  start: 0,
  end: payloadOffset(bytes) ?? bytes.length,
});
const payloadFocus = (bytes: Uint8Array): Focus => ({
  start: payloadOffset(bytes) ?? 0,
  end: bytes.length,
});

// Generated packages: a few files of each kind, with a cpio payload that matches the header.

const fileName = fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/);
const content = fc.uint8Array({ maxLength: 300 });

interface Generated {
  readonly files: TestFile[];
  readonly payload: Uint8Array;
  readonly compressor: 'identity' | 'gzip';
}

const generatedPackage: fc.Arbitrary<Generated> = fc
  .record({
    entries: fc.uniqueArray(
      fc.record({
        dir: fc.constantFrom('/usr/bin/', '/etc/', '/usr/share/doc/x/', '/'),
        name: fileName,
        kind: fc.constantFrom('file', 'file', 'directory', 'symlink', 'hardlink', 'ghost'),
        content,
      }),
      { maxLength: 6, selector: (entry) => entry.dir + entry.name },
    ),
    stripped: fc.boolean(),
    compressor: fc.constantFrom('identity' as const, 'gzip' as const),
  })
  .map(({ entries, stripped, compressor }) => {
    const sorted = [...entries].sort((a, b) => (a.dir + a.name < b.dir + b.name ? -1 : 1));
    const files: TestFile[] = sorted.map((entry) => {
      const path = entry.dir + entry.name;
      switch (entry.kind) {
        case 'directory':
          return { path, mode: 0o40755 };
        case 'symlink':
          return { path, mode: 0o120777, linkTo: 'target', size: 6 };
        case 'ghost':
          return { path, content: entry.content, flags: 1 << 6 };
        case 'hardlink':
          return { path, content: entry.content, inode: 1000 };
        default:
          return { path, content: entry.content };
      }
    });
    const members = files.map((file, index) => {
      const data =
        file.mode === 0o120777
          ? new TextEncoder().encode('target')
          : file.flags !== undefined
            ? new Uint8Array()
            : (file.content ?? new Uint8Array());
      return stripped
        ? strippedMember(index, data)
        : newcMember(`.${file.path}`, file.mode ?? 0o100644, data);
    });
    const archive = cpioArchive(...members);
    return { files, payload: compressor === 'gzip' ? gzipSync(archive) : archive, compressor };
  });

function packageBytes(generated: Generated): Uint8Array {
  const header = packageTags(generated.files, [[Tag.PAYLOADCOMPRESSOR, str(generated.compressor)]]);
  return buildRpm({ header, payload: generated.payload });
}

const smallInts = (max: number) =>
  fc.array(fc.oneof(fc.nat({ max }), fc.constantFrom(0, max)), { minLength: 1, maxLength: 8 });
const someStrings = fc.array(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', '..', '/', 'a/../b', 'gzip', 'xz', 'cpio', 'zstd', '0'.repeat(64)),
  ),
  { minLength: 1, maxLength: 8 },
);

/** Any value of any type, for any tag: type confusion, counts that disagree, huge numbers. */
const tagValue: fc.Arbitrary<TagValue> = fc.oneof(
  fc.string({ maxLength: 20 }).map((value): TagValue => ({ type: 'string', value })),
  someStrings.map((value): TagValue => ({ type: 'strings', value })),
  someStrings.map((value): TagValue => ({ type: 'i18n', value })),
  fc.constant<TagValue>({ type: 'null' }),
  smallInts(0xff).map((value): TagValue => ({ type: 'char', value })),
  smallInts(0xffff).map((value): TagValue => ({ type: 'int16', value })),
  smallInts(0xffffffff).map((value): TagValue => ({ type: 'int32', value })),
  fc
    .array(fc.oneof(fc.nat(), fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 60)), {
      minLength: 1,
      maxLength: 4,
    })
    .map((value): TagValue => ({ type: 'int64', value })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((value): TagValue => ({ type: 'bin', value })),
);

const hostileTags: fc.Arbitrary<TagSpec[]> = fc.array(
  fc.tuple(fc.constantFrom(...Object.values(Tag)), tagValue),
  { minLength: 1, maxLength: 6 },
);

/**
 * A generated package whose main header is made hostile, by byte mutations or by tags of the
 * wrong type and count, and then signed off with a matching SHA256HEADER, so that extraction
 * gets past the header digest and meets the hostile header.
 */
const hostileHeaderPackage: fc.Arbitrary<Mutated> = fc
  .tuple(
    generatedPackage,
    fc.oneof(
      fc
        .array(mutation, { minLength: 1, maxLength: 4 })
        .map((mutations) => ({ mutations, extra: [] as TagSpec[] })),
      hostileTags.map((extra) => ({ mutations: [], extra })),
    ),
  )
  .map(([generated, { mutations, extra }]) => {
    const tags = packageTags(generated.files, [
      [Tag.PAYLOADCOMPRESSOR, str(generated.compressor)],
      ...extra,
    ]);
    const header = applyMutations(buildHeader(tags), mutations);
    const signature = buildHeader([[SigTag.SHA256, str(sha256(header))]], 62);
    return mutated(-1, assembleRpm(signature, header, generated.payload));
  });

/** One package with each payload codec rpm writes: none, gzip, bzip2, xz, lzma, zstd. */
const CODEC_FIXTURES = fixtureRpms(64 * 1024, /^payload-test-/);

const scratch = new ScratchDir();
beforeAll(() => scratch.open('rpm-fuzz-'));
afterAll(() => scratch.close());

const PACKAGE_ERRORS = [PackageFormatError, PackageVerifyError, UnsafeEntryError];
const MAX_FILE_SIZE = 4 * 1024 * 1024;

/** Streams every entry, checking that content stays within the configured bound. */
async function extract(file: string): Promise<number> {
  let entries = 0;
  for await (const { content } of streamRpmEntries(file, { maxFileSize: MAX_FILE_SIZE })) {
    entries += 1;
    const size = content === undefined ? 0 : (await contentBytes(content)).length;
    if (size > MAX_FILE_SIZE) {
      throw new FuzzFailure(`an entry of ${size} bytes passed the ${MAX_FILE_SIZE} limit`);
    }
  }
  return entries;
}

describe('RPM fuzz', () => {
  fuzzTest('the lead parser reads or refuses any 96 bytes', {
    parser: 'RPM lead',
    runs: 5000,
    inputs: seedsAndMutants(
      FIXTURES.map((bytes) => bytes.subarray(0, LEAD_SIZE)),
      { focus: () => ({ start: 0, end: LEAD_SIZE }) },
    ),
    parse: ({ bytes }) => parseLead(bytes, newContext('fuzz.rpm')),
    errors: [PackageFormatError],
  });

  fuzzTest('headers, file list, dependencies, scripts and signatures read or refuse', {
    parser: 'RPM headers',
    runs: 2500,
    inputs: fc.oneof(
      { weight: 3, arbitrary: seedsAndMutants(FIXTURES, { focus: headerFocus }) },
      {
        weight: 1,
        arbitrary: seedsAndMutants(generatedPackage.map(packageBytes), { focus: headerFocus }),
      },
      { weight: 1, arbitrary: hostileHeaderPackage },
    ),
    parse: async ({ bytes }) => inspectRpm(scratch.write('headers.rpm', bytes)),
    errors: PACKAGE_ERRORS,
  });

  fuzzTest('payload extraction and verification read or refuse', {
    parser: 'RPM payload',
    runs: 2000,
    inputs: fc.tuple(
      fc.oneof(
        { weight: 2, arbitrary: seedsAndMutants(FIXTURES, { focus: payloadFocus }) },
        {
          weight: 2,
          arbitrary: seedsAndMutants(generatedPackage.map(packageBytes), {
            focus: payloadFocus,
          }),
        },
        { weight: 2, arbitrary: hostileHeaderPackage },
        { weight: 1, arbitrary: seedsAndMutants(CODEC_FIXTURES, { focus: payloadFocus }) },
      ),
      fc.constantFrom('stream' as const, 'stream' as const, 'verify' as const),
    ),
    parse: async ([{ bytes }, how]) => {
      const file = scratch.write('payload.rpm', bytes);
      return how === 'stream' ? extract(file) : verifyRpm(file, { requireSignature: false });
    },
    bytesOf: ([{ bytes }]) => bytes,
    errors: PACKAGE_ERRORS,
  });
});
