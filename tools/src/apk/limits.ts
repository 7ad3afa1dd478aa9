/** Upper bounds that keep a hostile package or index from exhausting memory or time. */
export interface ApkLimits {
  /** Gzip members in one file (an .apk normally has three, an APKINDEX two). */
  readonly maxGzipMembers: number;
  /** Inflated bytes of one member read into memory (signature, control and index members). */
  readonly maxMemberBytes: number;
  /** Inflated bytes of the control member of a package. */
  readonly maxControlBytes: number;
  /** Compressed bytes of the head of a package: signature members plus the control member. */
  readonly maxHeadBytes: number;
  /** `.SIGN.*` files in the signature members. */
  readonly maxSignatures: number;
  /** Bytes of one signature. */
  readonly maxSignatureBytes: number;
  /** Bytes of `.PKGINFO`. */
  readonly maxPkginfoBytes: number;
  /** Bytes of one file of the control archive (scripts, `.melange.yaml`, ...). */
  readonly maxControlFileBytes: number;
  /** Bytes of the pax extended headers that apply to one entry. */
  readonly maxPaxBytes: number;
  /** Records in the pax extended headers of one entry. */
  readonly maxPaxRecords: number;
  /** Bytes of a GNU long name or long link target. */
  readonly maxLongNameBytes: number;
  /** Entries in one archive. */
  readonly maxEntries: number;
  /** Bytes of one regular file (streamed in chunks: this bounds time and disk, not memory). */
  readonly maxFileBytes: number;
  /** Inflated bytes of a whole data archive. */
  readonly maxDataBytes: number;
  /** Bytes of the APKINDEX file of an index. */
  readonly maxIndexBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_APK_LIMITS: ApkLimits = Object.freeze({
  maxGzipMembers: 65_536,
  maxMemberBytes: 512 * MiB,
  maxControlBytes: 64 * MiB,
  maxHeadBytes: 16 * MiB,
  maxSignatures: 16,
  maxSignatureBytes: 8192,
  maxPkginfoBytes: MiB,
  maxControlFileBytes: 8 * MiB,
  maxPaxBytes: MiB,
  maxPaxRecords: 1024,
  maxLongNameBytes: 4096,
  maxEntries: 1_000_000,
  maxFileBytes: 16 * 1024 * MiB,
  maxDataBytes: 64 * 1024 * MiB,
  maxIndexBytes: 256 * MiB,
});

export function apkLimits(overrides: Partial<ApkLimits> | undefined): ApkLimits {
  return overrides === undefined ? DEFAULT_APK_LIMITS : { ...DEFAULT_APK_LIMITS, ...overrides };
}

/** Where a problem was found: the file, and the package once its `.PKGINFO` is known. */
export interface ApkSource {
  readonly file: string;
  readonly package?: string;
}
