import { createRequire } from 'node:module';

import type { SquashfsEntry, SquashfsSummary } from './types.ts';

export interface NativeOptions {
  compressor: 'xz' | 'zstd';
  level?: number;
  bcjX86: boolean;
  blockSize: number;
  mkfsTime: number;
  workers: number;
  exportable: boolean;
  blockCache?: string;
}

/** The encoded tree handed to the addon; the layout is documented in native/plan.h. */
export interface EncodedPlan {
  records: Uint32Array;
  entries: Uint32Array;
  xattrSets: Uint32Array;
  xattrPairs: Uint32Array;
  blob: Uint8Array;
}

export interface NativeWriter {
  /** Resolves to the data slot of the file when `begin` is set, otherwise to -1. */
  writeFile(chunk: Uint8Array | null, begin: boolean, end: boolean): Promise<number>;
  /**
   * Reads, checks and writes each file in turn; stops before the first one that does not hold
   * its size and SHA-256 (`digests`: 32 bytes per file), which is then not written at all.
   */
  writeStoredFiles(
    paths: readonly string[],
    digests: Uint8Array,
    sizes: readonly number[],
  ): Promise<StoredFilesOutcome>;
  finish(
    records: Uint32Array,
    entries: Uint32Array,
    xattrSets: Uint32Array,
    xattrPairs: Uint32Array,
    blob: Uint8Array,
  ): Promise<SquashfsSummary>;
  /** Releases the image (threads, file descriptor) without finishing it. */
  abort(): void;
}

export interface StoredFilesOutcome {
  /** Data slots of the files written, in order. */
  slots: number[];
  /** Index of the file it stopped before, or -1. */
  stoppedAt: number;
  /** What is wrong with that file. */
  reason: string;
}

interface Addon {
  Writer: new (outputFile: string, options: NativeOptions) => NativeWriter;
  readTree(image: string, hash: boolean): Promise<NativeImage>;
}

const addon = createRequire(import.meta.url)('../build/Release/squashfs.node') as Addon;

export function openNativeWriter(outputFile: string, options: NativeOptions): NativeWriter {
  return new addon.Writer(outputFile, options);
}

/** A file's entry as the addon gives it: its stored layout beside what reader.ts hands out. */
export type NativeEntry = SquashfsEntry & {
  readonly storedBlocks?: number;
  readonly fragment?: number;
  readonly tail?: number;
};

export interface NativeImage {
  readonly blockSize: number;
  readonly entries: readonly NativeEntry[];
  /** The stored size of each fragment block, by index. */
  readonly fragments: readonly number[];
}

/** Every entry of a squashfs image, sorted by path; with `hash`, each file's content hashed. */
export function readNativeTree(image: string, hash: boolean): Promise<NativeImage> {
  return addon.readTree(image, hash);
}
