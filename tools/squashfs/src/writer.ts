import { streamContent, checkContent } from './content.ts';
import { checkMeta, implicitDirectoryMeta, isUint32 } from './meta.ts';
import { openNativeWriter } from './native.ts';
import type { NativeWriter } from './native.ts';
import { checkOptions } from './options.ts';
import { MAX_TARGET_BYTES, isWellFormed, quote } from './paths.ts';
import { encodePlan } from './plan.ts';
import { Tree } from './tree.ts';
import type { FileNode } from './tree.ts';
import { checkStoredFile, isStoredFile, writeStoredItems } from './stored-files.ts';
import type { StoredItem } from './stored-files.ts';
import type {
  FileContent,
  NodeMeta,
  SquashfsOptions,
  SquashfsSummary,
  StoredFile,
} from './types.ts';

const MAX_MAJOR = 0xfff;
/** Stored files handed to the addon per call: few enough that a failure is found early. */
const STORED_BATCH_FILES = 1024;
const MAX_MINOR = 0xfffff;

/** Linux's 32-bit device number encoding (new_encode_dev), as squashfs stores it. */
function encodeDevice(major: number, minor: number): number {
  return (minor & 0xff) + major * 0x100 + Math.floor(minor / 0x100) * 0x100000;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes a squashfs image straight from an in-memory tree, without root or a staging folder.
 *
 * - Paths are absolute inside the image. Missing parent directories are created implicitly as
 *   root:root 0755 with mtime = mkfsTime; a later directory() call for such a path sets its
 *   real metadata (once). Adding any path twice, or below a non-directory, throws.
 * - File data goes to the block processor in the order file() is called (calls are queued, so
 *   they need not be awaited one by one); the image is reproducible for the same calls in the
 *   same order, whatever the worker count. Inode numbers and directory order come from the tree
 *   alone (entries sorted by name bytes, inodes numbered depth first, root last).
 * - A failed file() rejects its own promise and makes finish() reject with the same error.
 */
export class SquashfsWriter {
  readonly #outputFile: string;
  readonly #native: NativeWriter;
  readonly #tree: Tree;
  #queue: Promise<void> = Promise.resolve();
  /** Stored files queued last and not yet handed over: later ones join them. */
  #storedBatch: { items: StoredItem[]; done: Promise<void> } | undefined;
  #failure: Error | undefined;
  #state: 'open' | 'finishing' | 'closed' = 'open';

  constructor(outputFile: string, options: SquashfsOptions) {
    const native = checkOptions(options);
    this.#outputFile = outputFile;
    this.#tree = new Tree(implicitDirectoryMeta(native.mkfsTime));
    try {
      this.#native = openNativeWriter(outputFile, native);
    } catch (error) {
      throw new Error(`squashfs: ${outputFile}: ${errorMessage(error)}`, { cause: error });
    }
  }

  directory(path: string, meta: NodeMeta): void {
    this.#assertOpen();
    this.#tree.addDirectory(path, checkMeta(path, meta));
  }

  /**
   * Queues the content; the returned promise settles once it has been consumed. A Uint8Array is
   * read in place, so it must not change until then; iterables are pulled one chunk at a time,
   * each only after the previous chunk has been compressed or queued; stored files queued one
   * after another are read by the addon in batches (see StoredFile).
   */
  file(path: string, meta: NodeMeta, content: FileContent | StoredFile): Promise<void> {
    this.#assertOpen();
    if (isStoredFile(content)) checkStoredFile(path, content);
    else checkContent(path, content);
    const file: FileNode = { kind: 'file', meta: checkMeta(path, meta), links: 1, slot: -1 };
    this.#tree.addLeaf(path, file);
    if (isStoredFile(content)) return this.#queueStored({ path, node: file, stored: content });
    this.#storedBatch = undefined;
    return this.#enqueue(`writing ${quote(path)}`, async () => {
      file.slot = await streamContent(this.#native, path, content);
    });
  }

  #queueStored(item: StoredItem): Promise<void> {
    const open = this.#storedBatch;
    if (open !== undefined && open.items.length < STORED_BATCH_FILES) {
      open.items.push(item);
      return open.done;
    }
    const items = [item];
    const done = this.#enqueue('writing stored files', async () => {
      if (this.#storedBatch?.items === items) this.#storedBatch = undefined;
      await writeStoredItems(this.#native, items);
    });
    this.#storedBatch = { items, done };
    return done;
  }

  /** Runs `work` after everything queued before it; a failure is kept for finish(). */
  #enqueue(what: string, work: () => Promise<void>): Promise<void> {
    const job = this.#queue.then(async () => {
      if (this.#failure !== undefined) throw this.#failure;
      try {
        await work();
      } catch (error) {
        throw this.#fail(`${what}: ${errorMessage(error)}`, error);
      }
    });
    // The queue never rejects; a failure is kept for finish(), so an unobserved job is fine.
    this.#queue = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  symlink(path: string, target: string, meta: NodeMeta): void {
    this.#assertOpen();
    if (typeof target !== 'string' || target === '' || target.includes('\0')) {
      throw new Error(`squashfs: symlink target of ${quote(path)} must be a non-empty string`);
    }
    if (!isWellFormed(target) || Buffer.byteLength(target, 'utf8') > MAX_TARGET_BYTES) {
      throw new Error(
        `squashfs: symlink target of ${quote(path)} must be valid text of at most ${MAX_TARGET_BYTES} bytes`,
      );
    }
    this.#tree.addLeaf(path, { kind: 'symlink', meta: checkMeta(path, meta), links: 1, target });
  }

  hardlink(path: string, existingPath: string): void {
    this.#assertOpen();
    this.#tree.addHardlink(path, existingPath);
  }

  device(path: string, kind: 'char' | 'block', major: number, minor: number, meta: NodeMeta): void {
    this.#assertOpen();
    if (kind !== 'char' && kind !== 'block') {
      throw new Error(`squashfs: device kind of ${quote(path)} must be "char" or "block"`);
    }
    if (!isUint32(major) || major > MAX_MAJOR || !isUint32(minor) || minor > MAX_MINOR) {
      throw new Error(
        `squashfs: device ${quote(path)} needs major 0..${MAX_MAJOR} and minor 0..${MAX_MINOR}, got ${String(major)}:${String(minor)}`,
      );
    }
    const devno = encodeDevice(major, minor);
    this.#tree.addLeaf(path, { kind, meta: checkMeta(path, meta), links: 1, devno });
  }

  fifo(path: string, meta: NodeMeta): void {
    this.#assertOpen();
    this.#tree.addLeaf(path, { kind: 'fifo', meta: checkMeta(path, meta), links: 1 });
  }

  socket(path: string, meta: NodeMeta): void {
    this.#assertOpen();
    this.#tree.addLeaf(path, { kind: 'socket', meta: checkMeta(path, meta), links: 1 });
  }

  /** Waits for queued file data, writes all tables and the super block, fsyncs and closes. */
  async finish(): Promise<SquashfsSummary> {
    this.#assertOpen();
    this.#state = 'finishing';
    try {
      await this.#queue;
      if (this.#failure !== undefined) throw this.#failure;
      const plan = encodePlan(this.#tree.root);
      return await this.#native
        .finish(plan.records, plan.entries, plan.xattrSets, plan.xattrPairs, plan.blob)
        .catch((error: unknown) => {
          throw this.#fail(`finishing: ${errorMessage(error)}`, error);
        });
    } finally {
      this.#state = 'closed';
    }
  }

  /**
   * Gives up on the image: waits for queued data, then frees the threads and the descriptor and
   * leaves the partial file for the caller to remove. Does nothing once finish() has started.
   */
  async abort(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    await this.#queue;
    if (this.#failure === undefined) this.#native.abort();
  }

  #assertOpen(): void {
    if (this.#state !== 'open') {
      throw new Error(`squashfs: the writer for ${quote(this.#outputFile)} is already finished`);
    }
  }

  #fail(message: string, cause: unknown): Error {
    if (this.#failure === undefined) {
      this.#failure = new Error(`squashfs: ${this.#outputFile}: ${message}`, { cause });
      try {
        this.#native.abort();
      } catch {
        // An operation may still be running; it releases the image when it settles.
      }
    }
    return this.#failure;
  }
}
