import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AlpineChrootOptions } from '../../test-support/alpine-chroot.ts';
import { fixture } from '../../test-support/fixtures.ts';

const BLOCK = 512;

function isZeroBlock(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + BLOCK; i++) {
    if (bytes[i] !== 0) {
      return false;
    }
  }
  return true;
}

function field(bytes: Uint8Array, at: number, length: number): string {
  const raw = Buffer.from(bytes.subarray(at, at + length)).toString('latin1');
  const nul = raw.indexOf('\0');
  return nul < 0 ? raw : raw.slice(0, nul);
}

/**
 * The members of an APKINDEX.tar.gz, read without verifying anything: the gzip members
 * decompress to tar streams laid end to end (the first one cut short), so zero blocks are
 * skipped rather than taken as the end of the archive.
 */
export function readTarGzMembers(path: string): Map<string, Uint8Array> {
  const bytes = gunzipSync(readFileSync(path));
  const members = new Map<string, Uint8Array>();
  let at = 0;
  while (at + BLOCK <= bytes.length) {
    if (isZeroBlock(bytes, at)) {
      at += BLOCK;
      continue;
    }
    const name = field(bytes, at, 100);
    const size = Number.parseInt(field(bytes, at + 124, 12).trim() || '0', 8);
    const start = at + BLOCK;
    members.set(name, bytes.subarray(start, start + size));
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return members;
}

export const ALPINE_316_INDEX = fixture('apkindex', 'alpine-316', 'APKINDEX.tar.gz');

/** An Alpine chroot whose apk trusts Alpine's keys and simulates installs from the 3.16 index. */
export const ALPINE_316_CHROOT: AlpineChrootOptions = {
  keyDirs: [fixture('keys', 'alpine')],
  index: ALPINE_316_INDEX,
};

/** The text of the APKINDEX member of an APKINDEX.tar.gz. */
export function readApkIndexTextFixture(path: string = ALPINE_316_INDEX): string {
  const member = readTarGzMembers(path).get('APKINDEX');
  if (member === undefined) {
    throw new Error(`${path} has no APKINDEX member`);
  }
  return Buffer.from(member).toString('utf8');
}
