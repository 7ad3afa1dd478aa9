/**
 * The format-neutral view of packages that every backend produces and the image pipeline
 * consumes. Nothing here knows whether it came from an RPM or an APK.
 */

export type DigestAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface Digest {
  readonly algorithm: DigestAlgorithm;
  /** Lowercase hex. */
  readonly hex: string;
}

export type EntryType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'char-device'
  | 'block-device'
  | 'fifo'
  | 'socket';

/** Per-file flags as package managers know them (RPM's %config, %ghost, %doc, ...). */
export type EntryFlag =
  'config' | 'noreplace' | 'missingok' | 'ghost' | 'doc' | 'license' | 'readme' | 'artifact';

/** One path a package installs, with everything needed to recreate it without root. */
export interface PackageEntry {
  /** Absolute, normalised path inside the image: `/usr/bin/ls`, no trailing slash, no `..`. */
  readonly path: string;
  readonly type: EntryType;
  /** Permission bits including setuid/setgid/sticky (0o7777), without the file-type bits. */
  readonly mode: number;
  readonly user: string;
  readonly group: string;
  /** Numeric ids when the format records them (APK tar headers); RPM resolves names later. */
  readonly uid?: number;
  readonly gid?: number;
  /** Bytes of content for files; 0 otherwise. */
  readonly size: number;
  /** Modification time, seconds since the epoch. */
  readonly mtime: number;
  /** Symlink target, or for a hardlink the path of the entry it links to. */
  readonly linkTarget?: string;
  readonly device?: { readonly major: number; readonly minor: number };
  /** Digest of the content as the package declares it. */
  readonly digest?: Digest;
  readonly flags: readonly EntryFlag[];
  /** File capabilities in text form (`cap_net_raw=ep`), when the package sets any. */
  readonly capabilities?: string;
  /** Extended attributes other than capabilities, raw. */
  readonly xattrs?: Readonly<Record<string, Uint8Array>>;
}

/**
 * A regular file's content as a package reader hands it over: whole when it is small (up to
 * CONTENT_CHUNK_BYTES, 1 MiB), otherwise as chunks of at most that size, never held together.
 * Chunks can be read once, and only before the next entry is asked for. When the content fails
 * a check the package declares (digest, size), the iteration throws after its last chunk, so
 * whatever was made of the chunks must be thrown away unless the iteration ends normally. A
 * content left unread is read and checked by the reader itself when the next entry is asked for.
 */
export type FileContent = Uint8Array | AsyncIterable<Uint8Array>;

/** An entry as streamed out of a package, with its content for regular files. */
export interface StreamedEntry {
  readonly entry: PackageEntry;
  /** Regular files only (a hardlink carries no content of its own). */
  readonly content?: FileContent;
}

/** A maintainer script or trigger that a package would run at install time. */
export interface PackageScript {
  /** `pre-install`, `post-install`, `pretrans`, `posttrans`, `trigger`, ... as the format names it. */
  readonly phase: string;
  readonly interpreter?: string;
  readonly body: string;
  /** For triggers: the paths or package names that fire it. */
  readonly triggers?: readonly string[];
}
