import { PackageFormatError } from '../packages/errors.ts';
import { parseSignatureName } from './apk-signature.ts';
import type { ApkSignature } from './apk-signature.ts';
import { refuseApkV3 } from './apk-v3.ts';
import type { ApkFileKind } from './apk-v3.ts';
import { ByteReader } from '../core/byte-reader.ts';
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

/** Refuses anything but a v2 file (gzip members), naming apk v3 files as such. */
export function refuseUnlessApkV2(bytes: Uint8Array, source: ApkSource, kind: ApkFileKind): void {
  refuseApkV3(bytes, source, kind);
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
  for await (const entry of readTarEntries(new ByteReader([content]), source, limits)) {
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
  const queue = new ByteReader([member.content]);
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
 * Reads the leading members of `bytes` (a `package` or an `index`), each inflating to at most
 * `maxMemberBytes`. Returns undefined when `bytes` is only the start of a longer file
 * (`complete` false) and ends before the body member does.
 */
export async function scanApkHead(
  bytes: Uint8Array,
  complete: boolean,
  source: ApkSource,
  limits: ApkLimits,
  maxMemberBytes: number,
  kind: ApkFileKind,
): Promise<ApkHead | undefined> {
  refuseUnlessApkV2(bytes, source, kind);
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
