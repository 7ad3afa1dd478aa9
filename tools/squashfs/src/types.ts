export type SquashfsCompressor =
  { kind: 'xz'; level?: number; bcj?: 'x86' } | { kind: 'zstd'; level?: number };

export interface SquashfsOptions {
  compressor: SquashfsCompressor;
  /** Data block size in bytes, a power of two from 4 KiB to 1 MiB. Default 131072. */
  blockSize?: number;
  /** Seconds since the epoch stored as the image's modification time. */
  mkfsTime: number;
  /** Compression threads of the block processor. Default: available parallelism. */
  workers?: number;
  /** Write the NFS export table. Default false. */
  exportable?: boolean;
  /**
   * Folder of compressed blocks to reuse and add to, shared by builds and safe to use from
   * several at once. Blocks whose content and compressor settings were compressed before are
   * copied from it instead of compressed again; the image is the same bytes either way.
   * Damaged entries are found by their digest and compressed again. Nothing is ever removed
   * from it here: bounding its size is the caller's job.
   */
  blockCache?: string;
}

export interface NodeMeta {
  /** Permission bits only (0o7777), including setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Keys in the user., trusted. or security. namespaces. */
  xattrs?: Readonly<Record<string, Uint8Array>>;
}

export type FileContent = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * A file on the host whose size and SHA-256 are known. The addon reads it on its own thread,
 * checks both, and only then writes it (a large file is read twice in 1 MiB chunks, to check
 * it and to write it), many files per call, so a tree of small files costs no round trip
 * through JavaScript per file.
 */
export interface StoredFile {
  readonly kind: 'stored';
  /** Absolute path on the host. */
  readonly file: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
  /**
   * The content to write instead when `file` is missing or does not hold that content (a
   * repaired copy, say); without it, that is an error naming the file.
   */
  readonly otherwise?: () => Promise<FileContent>;
}

export interface BlockCacheStats {
  /** Blocks (data, fragment and metadata) copied from the cache. */
  hits: number;
  /** Blocks compressed, and stored in the cache. */
  misses: number;
  /** Entries found damaged (length or digest): compressed again, counted as misses too. */
  rejected: number;
  /** Entries that could not be written (full disk, permissions); the image is not affected. */
  storeFailures: number;
  /** Uncompressed bytes whose compression the hits saved. */
  reusedBytes: number;
  /** Uncompressed bytes that were compressed. */
  compressedBytes: number;
}

export interface SquashfsSummary {
  /** Size of the finished image file, padded to 4 KiB. */
  bytes: number;
  inodes: number;
  /** Present when the image was written with a block cache. */
  blockCache?: BlockCacheStats;
}

/** One entry of an image as libsquashfs reads it back (see readSquashfsTree). */
export interface SquashfsEntry {
  /** Absolute, `/` for the root. */
  readonly path: string;
  readonly type: 'directory' | 'file' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';
  /** Permission bits with setuid, setgid and sticky, without the type. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  /** Hard links share one inode number. */
  readonly inode: number;
  /** Regular files: size and SHA-256 of the content. */
  readonly size?: number;
  readonly sha256?: string;
  readonly target?: string;
  readonly major?: number;
  readonly minor?: number;
  /** Extended attributes, each value in hex. */
  readonly xattrs: Readonly<Record<string, string>>;
}

/** Where a regular file's data sits in an image (see readSquashfsLayout). */
export interface SquashfsFileLayout {
  readonly path: string;
  readonly inode: number;
  readonly size: number;
  /** Bytes of its own data blocks as stored (compressed, or not where that was smaller). */
  readonly storedBlocks: number;
  /** The fragment block holding its tail, or -1. */
  readonly fragment: number;
  /** Bytes of its tail in that fragment block, uncompressed. */
  readonly tail: number;
}

export interface SquashfsLayout {
  readonly blockSize: number;
  readonly files: readonly SquashfsFileLayout[];
  /** The stored size of each fragment block, by index. */
  readonly fragments: readonly number[];
}
