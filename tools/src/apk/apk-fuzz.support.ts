/**
 * Seeds for the fuzz tests of the apk readers: the real packages and indexes of the fixtures,
 * split into their gzip members and inflated, and generated tar archives. Only tests use this.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixture } from '../test-support/fixtures.ts';
import { fc } from '../test-support/fuzz.ts';
import { tarBytes } from './apk-builder.support.ts';
import type { TarSpec } from './apk-builder.support.ts';
import { splitGzipMembers } from './gzip-members.ts';

/** Files under `dirs` of the fixtures whose name ends with `suffix`, smallest first. */
export function fixtureFiles(dirs: readonly string[], suffix: string, maxBytes: number): string[] {
  const found: { path: string; size: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else if (name.endsWith(suffix) && info.size <= maxBytes)
        found.push({ path, size: info.size });
    }
  };
  for (const dir of dirs) walk(fixture(dir));
  return found.sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1)).map((f) => f.path);
}

export const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** The .apk files of the fixtures up to 64 KiB, and the small signed indexes. */
export const APK_FILES: readonly Uint8Array[] = fixtureFiles(['apk'], '.apk', 64 * 1024).map(read);
export const INDEX_FILES: readonly Uint8Array[] = fixtureFiles(
  ['apk', 'apkindex/synthetic'],
  'APKINDEX.tar.gz',
  64 * 1024,
).map(read);

/** Each gzip member of each file, inflated: signature, control, data and index tar archives. */
export function inflatedMembers(files: readonly Uint8Array[], maxBytes = 512 * 1024): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const bytes of files) {
    for (const member of splitGzipMembers(bytes)) {
      const inflated = gunzipSync(bytes.subarray(member.start, member.end));
      if (inflated.length <= maxBytes) out.push(new Uint8Array(inflated));
    }
  }
  return out;
}

const TYPES = ['0', '0', '0', '5', '2', '1', '3', '4', '6', '7', 'x', 'g', 'L', 'K', 'S', 'V'];
const PAX_KEYS = ['path', 'linkpath', 'size', 'uid', 'gid', 'uname', 'gname', 'mtime', 'atime'];

const paxValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.nat().map(String),
  fc.constantFrom('-1', '1.5', '99999999999999999999', '', '0x10', ' 1', '1e3'),
);

/** Tar members with every kind of header these readers handle, pax and GNU records included. */
export const tarSpecs: fc.Arbitrary<TarSpec[]> = fc.array(
  fc.record(
    {
      name: fc.string({ minLength: 1, maxLength: 120 }),
      type: fc.constantFrom(...TYPES),
      content: fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 1500 })),
      mode: fc.nat({ max: 0o7777 }),
      uid: fc.nat({ max: 70000 }),
      linkname: fc.string({ maxLength: 40 }),
      pax: fc.dictionary(
        fc.oneof(fc.constantFrom(...PAX_KEYS), fc.string({ minLength: 1, maxLength: 12 })),
        paxValue,
        { maxKeys: 4 },
      ),
      base256Size: fc.boolean(),
    },
    { requiredKeys: ['name'] },
  ),
  { maxLength: 6 },
);

/** Generated archives, with or without their end blocks. */
export const generatedTar: fc.Arbitrary<Uint8Array> = fc
  .tuple(tarSpecs, fc.boolean())
  .map(([specs, end]) => tarBytes(specs, end));

/**
 * Recomputes the checksum of every block that looks like a ustar header, so that mutated
 * headers get past the checksum and into the field parsers.
 */
export function repairTarChecksums(input: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(input);
  for (let at = 0; at + 512 <= bytes.length; at += 512) {
    const magic = Buffer.from(bytes.subarray(at + 257, at + 262)).toString('latin1');
    if (magic !== 'ustar') continue;
    bytes.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += bytes[at + i] ?? 0;
    bytes.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), at + 148);
  }
  return bytes;
}
