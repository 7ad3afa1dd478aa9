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

export interface SquashfsSummary {
  /** Size of the finished image file, padded to 4 KiB. */
  bytes: number;
  inodes: number;
}
