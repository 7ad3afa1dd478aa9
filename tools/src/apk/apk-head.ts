import { PackageFormatError } from '../packages/errors.ts';
import { parseSignatureName } from './apk-signature.ts';
import type { ApkSignature } from './apk-signature.ts';
import { ByteQueue } from './byte-queue.ts';
import { isGzipMagic, readGzipMember } from './gzip-members.ts';
import type { InflatedGzipMember } from './gzip-members.ts';
import type { ApkLimits, ApkSource } from './limits.ts';
import { readTarEntries } from './tar-reader.ts';
import type { TarEntry, TarReadLimits } from './tar-reader.ts';

/** The signature members of an .apk or APKINDEX.tar.gz and the member that follows them. */
export interface ApkHead {
  readonly signatures: readonly ApkSignature[];
  /** Where the signed content starts: the first byte after the signature members. */
  readonly signedStart: number;
  /** The control member of a package, or the index member of an APKINDEX. */
  readonly body: InflatedGzipMember;
}

/** APK v3 files start with `ADB` and a compression letter (`ADB.`, `ADBd`, `ADBc`). */
export function isApkV3(bytes: Uint8Array): boolean {
  return bytes[0] === 0x41 && bytes[1] === 0x44 && bytes[2] === 0x42;
}

export function refuseUnlessApkV2(bytes: Uint8Array, source: ApkSource): void {
  if (isApkV3(bytes)) {
    throw new PackageFormatError({
      ...source,
      message: 'APK v3 (ADB) files are not supported',
      hint: 'use v2 packages and indexes (apk-tools 2 repositories, such as Alpine 3.x main and community)',
    });
  }
  if (!isGzipMagic(bytes, 0)) {
    throw new PackageFormatError({
      ...source,
      message: 'not an APK v2 file: it does not start with gzip data',
    });
  }
}

export function tarLimitsFor(limits: ApkLimits, maxFileBytes: number): TarReadLimits {
  return {
    maxEntries: limits.maxEntries,
    maxFileBytes,
    maxPaxBytes: limits.maxPaxBytes,
    maxPaxRecords: limits.maxPaxRecords,
    maxLongNameBytes: limits.maxLongNameBytes,
    maxArchiveBytes: limits.maxMemberBytes,
  };
}

/** Every member of a tar archive held in memory. */
export async function tarEntriesOf(
  content: Uint8Array,
  source: ApkSource,
  limits: TarReadLimits,
): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  for await (const entry of readTarEntries(new ByteQueue([content]), source, limits)) {
    entries.push(entry);
  }
  return entries;
}

async function signaturesIn(
  member: InflatedGzipMember,
  source: ApkSource,
  limits: ApkLimits,
): Promise<ApkSignature[] | undefined> {
  const tarLimits = tarLimitsFor(limits, limits.maxControlFileBytes);
  const queue = new ByteQueue([member.content]);
  const signatures: ApkSignature[] = [];
  for await (const entry of readTarEntries(queue, source, tarLimits)) {
    const parsed = parseSignatureName(entry.name);
    if (parsed === undefined || entry.kind !== 'file') {
      if (signatures.length === 0) {
        return undefined;
      }
      throw new PackageFormatError({
        ...source,
        message: `the signature member at byte ${member.start} also holds ${entry.name}`,
      });
    }
    const signature = entry.content ?? new Uint8Array();
    if (signature.length === 0 || signature.length > limits.maxSignatureBytes) {
      throw new PackageFormatError({
        ...source,
        message: `${entry.name} is ${signature.length} bytes, not a plausible signature`,
      });
    }
    signatures.push({ ...parsed, signature });
  }
  return signatures.length === 0 ? undefined : signatures;
}

/**
 * Reads the leading members of `bytes`, each inflating to at most `maxMemberBytes`. Returns
 * undefined when `bytes` is only the start of a longer file (`complete` false) and ends before
 * the body member does.
 */
export async function scanApkHead(
  bytes: Uint8Array,
  complete: boolean,
  source: ApkSource,
  limits: ApkLimits,
  maxMemberBytes: number,
): Promise<ApkHead | undefined> {
  refuseUnlessApkV2(bytes, source);
  const signatures: ApkSignature[] = [];
  let offset = 0;
  for (;;) {
    if (offset >= bytes.length) {
      if (!complete) {
        return undefined;
      }
      throw new PackageFormatError({ ...source, message: 'nothing follows the signature' });
    }
    const read = readGzipMember(bytes, offset, source, maxMemberBytes);
    if (read.status === 'truncated') {
      if (!complete) {
        return undefined;
      }
      throw new PackageFormatError({
        ...source,
        message: `gzip member at byte ${offset} is truncated`,
      });
    }
    const found = await signaturesIn(read.member, source, limits);
    if (found === undefined) {
      return { signatures, signedStart: offset, body: read.member };
    }
    signatures.push(...found);
    if (signatures.length > limits.maxSignatures) {
      throw new PackageFormatError({
        ...source,
        message: `more than ${limits.maxSignatures} signatures`,
      });
    }
    offset = read.member.end;
  }
}
