import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe } from 'vitest';
import { contentBytes } from '../packages/content.ts';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import {
  FuzzFailure,
  ScratchDir,
  fc,
  fuzzTest,
  mutatedLines,
  seedsAndMutants,
} from '../test-support/fuzz.ts';
import { BASIC_PKGINFO, buildApk, testSigningKey } from './apk-builder.support.ts';
import { APK_FILES, generatedTar, repairTarChecksums, tarSpecs } from './apk-fuzz.support.ts';
import { loadApkKeys } from './apk-keys.ts';
import type { ApkKeys } from './apk-keys.ts';
import { streamApkEntries } from './apk-stream.ts';
import { readControl } from './control.ts';
import { splitGzipMembers } from './gzip-members.ts';
import { DEFAULT_APK_LIMITS } from './limits.ts';
import type { ApkLimits } from './limits.ts';
import { parsePkginfo } from './pkginfo.ts';
import { readTarEntries } from './tar-reader.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { tarLimitsFor } from './apk-head.ts';

const SOURCE = { file: 'fuzz.apk' };
const LIMITS: ApkLimits = {
  ...DEFAULT_APK_LIMITS,
  maxMemberBytes: 8 << 20,
  maxControlBytes: 1 << 20,
  maxHeadBytes: 1 << 20,
  maxEntries: 1000,
  maxFileBytes: 1 << 20,
};

/** The control archive of each fixture package: the member after the signatures. */
function controlArchives(): Uint8Array[] {
  return APK_FILES.flatMap((bytes) => {
    const members = splitGzipMembers(bytes);
    const control = members.length >= 3 ? members[members.length - 2] : members[0];
    return control === undefined
      ? []
      : [new Uint8Array(gunzipSync(bytes.subarray(control.start, control.end)))];
  });
}

const CONTROLS = controlArchives();

async function pkginfoTexts(): Promise<string[]> {
  const texts: string[] = [BASIC_PKGINFO];
  for (const archive of CONTROLS) {
    for await (const entry of readTarEntries(
      new ByteReader([archive]),
      SOURCE,
      tarLimitsFor(LIMITS, 1 << 20),
    )) {
      if (entry.name === '.PKGINFO' && entry.content !== undefined) {
        texts.push(new TextDecoder().decode(entry.content));
      }
    }
  }
  return texts;
}

const PKGINFO_LINES = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'pkgname',
        'pkgver',
        'arch',
        'size',
        'builddate',
        'depend',
        'provides',
        'install_if',
        'replaces',
        'triggers',
        'datahash',
        'provider_priority',
        'license',
        '# comment',
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.nat().map(String),
        fc.constantFrom('-1', '9007199254740993', 'x'.repeat(300)),
      ),
    )
    .map(([key, value]) => `${key} = ${value}`),
  fc.string({ maxLength: 40 }),
);

let pkginfoSeeds: string[] = [BASIC_PKGINFO];
let keys: ApkKeys;
const scratch = new ScratchDir();
beforeAll(async () => {
  pkginfoSeeds = await pkginfoTexts();
  keys = await loadApkKeys(fixture('keys', 'test'));
  keys.set('fuzz.rsa.pub', testSigningKey().publicKey);
  await scratch.open('apk-fuzz-');
});
afterAll(() => scratch.close());

/**
 * Generated packages, signed and hashed as abuild does: .PKGINFO lines of every kind, and data
 * archives with any kind of member (pax and GNU records, devices, links, hostile names).
 */
const generatedApk = fc
  .record({
    lines: fc.array(PKGINFO_LINES, { maxLength: 6 }),
    data: tarSpecs,
    checksums: fc.boolean(),
    signed: fc.boolean(),
  })
  .map(({ lines, data, checksums, signed }) =>
    buildApk({
      pkginfo: `${BASIC_PKGINFO}${lines.join('\n')}\n`,
      data,
      checksums,
      controlFiles: [{ name: '.post-install', content: '#!/bin/sh\ntrue\n' }],
      signers: signed ? [{ keyName: 'fuzz.rsa.pub', privateKey: testSigningKey().privateKey }] : [],
    }),
  );

/** Verifies a package and streams its data part, as the rootfs stage does. */
async function extract(file: string, signed: boolean): Promise<number> {
  let entries = 0;
  const options = { keys: signed ? keys : new Map(), requireSignature: signed, limits: LIMITS };
  for await (const { content } of streamApkEntries(file, options)) {
    entries += 1;
    const size = content === undefined ? 0 : (await contentBytes(content)).length;
    if (size > LIMITS.maxFileBytes) {
      throw new FuzzFailure(`an entry of ${size} bytes passed the limit`);
    }
  }
  return entries;
}

describe('.PKGINFO and apk package fuzz', () => {
  fuzzTest('.PKGINFO parses or is refused', {
    parser: '.PKGINFO',
    runs: 5000,
    inputs: fc
      .constant(null)
      .chain(() => mutatedLines(pkginfoSeeds, PKGINFO_LINES, { maxMutations: 8 })),
    parse: (text) => parsePkginfo(text, SOURCE),
    errors: [PackageFormatError],
  });

  fuzzTest('a control archive yields .PKGINFO and scripts or is refused', {
    parser: 'apk control archive',
    runs: 3000,
    inputs: fc
      .tuple(fc.oneof(seedsAndMutants(CONTROLS), seedsAndMutants(generatedTar)), fc.boolean())
      .map(([input, repair]) =>
        repair ? { ...input, bytes: repairTarChecksums(input.bytes) } : input,
      ),
    parse: ({ bytes }) => readControl(bytes, SOURCE, LIMITS),
    errors: [PackageFormatError],
  });

  fuzzTest('a whole .apk verifies and streams its entries, fails verification, or is refused', {
    parser: 'apk package',
    runs: 2000,
    inputs: fc.tuple(
      fc.oneof(seedsAndMutants(APK_FILES), seedsAndMutants(generatedApk)),
      fc.boolean(),
    ),
    parse: ([{ bytes }, signed]) => extract(scratch.write('package.apk', bytes), signed),
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PackageFormatError, PackageVerifyError, UnsafeEntryError],
  });
});
