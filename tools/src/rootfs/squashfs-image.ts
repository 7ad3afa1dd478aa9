import { resolve } from 'node:path';
import { rename, rm } from 'node:fs/promises';
import { SquashfsWriter } from '@levitate/squashfs';
import type {
  NodeMeta as SquashfsMeta,
  SquashfsCompressor,
  SquashfsSummary,
  StoredFile,
} from '@levitate/squashfs';
import { InternalError } from '../core/errors.ts';
import type { ContentStore } from './content-store.ts';
import type { ImageTree } from './image-tree.ts';
import type { FileNode, ImageNode } from './nodes.ts';

export interface WriteSquashfsOptions {
  readonly compressor: SquashfsCompressor;
  /** The image's own time stamp; the tree's build epoch when not given. */
  readonly mkfsTime?: number;
  /** Compression threads; the image does not depend on it. */
  readonly workers?: number;
  readonly blockSize?: number;
  /** Folder of compressed blocks to reuse and add to (see SquashfsOptions.blockCache). */
  readonly blockCache?: string;
  /**
   * The packages of the tree. When given, their files' data is laid out first and the files the
   * build made itself (overlays, install-script effects, os-release) after them, so that editing
   * one of those changes only the image's last blocks and a block cache keeps the rest.
   */
  readonly packages?: ReadonlySet<string>;
}

/**
 * Files up to this size are read whole when their turn comes: one read of their exact size
 * instead of a stream and its 1 MiB buffer, which for thousands of small files costs more in
 * allocation and garbage collection than the copying itself. No more is held than a stream's
 * chunk.
 */
const WHOLE_READ_BYTES = 1 << 20;

async function* wholeContent(store: ContentStore, sha256: string): AsyncGenerator<Uint8Array> {
  yield await store.read(sha256);
}

function streamedContent(store: ContentStore, node: FileNode): AsyncIterable<Uint8Array> {
  const { sha256, size } = node.content;
  return size <= WHOLE_READ_BYTES ? wholeContent(store, sha256) : store.stream(sha256);
}

/**
 * The stored file itself, which the addon reads and checks off the JavaScript thread; when the
 * store's copy is missing or damaged, the store repairs it and hands over the content.
 */
function contentOf(store: ContentStore, node: FileNode): StoredFile {
  const { sha256, size } = node.content;
  return {
    kind: 'stored',
    file: resolve(store.path(sha256)),
    size,
    sha256,
    otherwise: () => Promise.resolve(streamedContent(store, node)),
  };
}

function metaOf(node: Exclude<ImageNode, { kind: 'hardlink' }>): SquashfsMeta {
  const { mode, uid, gid, mtime, xattrs } = node;
  return Object.keys(xattrs).length === 0
    ? { mode, uid, gid, mtime }
    : { mode, uid, gid, mtime, xattrs };
}

function checkResolved(tree: ImageTree, paths: readonly string[]): void {
  const pending = paths.find((path) => {
    const node = tree.get(path);
    return node !== undefined && node.kind !== 'hardlink' && node.owner !== undefined;
  });
  if (pending !== undefined) {
    throw new InternalError(
      `owners are not resolved (${pending} still has owner names): call resolveOwners() first`,
    );
  }
}

/**
 * The paths in the order their data is written: sorted, package files first when the packages
 * are known. Fragments (file tails) are packed in this order, so a file that changes size moves
 * every later tail to another fragment block: what changes most often goes last.
 */
function dataOrder(tree: ImageTree, paths: readonly string[], packages?: ReadonlySet<string>) {
  if (packages === undefined) return paths;
  const fromPackages: string[] = [];
  const madeByBuild: string[] = [];
  for (const path of paths) {
    const node = tree.get(path) as ImageNode;
    (packages.has(node.origin) ? fromPackages : madeByBuild).push(path);
  }
  return [...fromPackages, ...madeByBuild];
}

/**
 * Writes the tree as a squashfs image: every path in sorted order (package files first when
 * the packages are given; either way file data is laid out the same way every time), contents
 * read from the store by the addon in batches and checked against their
 * digests, hard links last. The image is written to a temporary name and renamed
 * into place.
 */
export async function writeSquashfs(
  tree: ImageTree,
  store: ContentStore,
  outputFile: string,
  options: WriteSquashfsOptions,
): Promise<SquashfsSummary> {
  const paths = tree.paths();
  checkResolved(tree, paths);
  const temp = `${outputFile}.tmp-${process.pid}`;
  const writer = new SquashfsWriter(temp, {
    compressor: options.compressor,
    mkfsTime: options.mkfsTime ?? tree.epoch,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
    ...(options.blockCache === undefined ? {} : { blockCache: options.blockCache }),
  });
  const files: Promise<unknown>[] = [];
  try {
    const hardlinks: [string, string][] = [];
    for (const path of dataOrder(tree, paths, options.packages)) {
      const node = tree.get(path) as ImageNode;
      if (node.kind === 'hardlink') hardlinks.push([path, node.target]);
      else if (node.kind === 'directory') writer.directory(path, metaOf(node));
      else if (node.kind === 'file') {
        files.push(writer.file(path, metaOf(node), contentOf(store, node)).catch(() => undefined));
      } else if (node.kind === 'symlink') writer.symlink(path, node.target, metaOf(node));
      else if (node.kind === 'char' || node.kind === 'block') {
        writer.device(path, node.kind, node.major, node.minor, metaOf(node));
      } else if (node.kind === 'fifo') writer.fifo(path, metaOf(node));
      else writer.socket(path, metaOf(node));
    }
    for (const [path, target] of hardlinks) writer.hardlink(path, target);
    const summary = await writer.finish();
    await Promise.all(files);
    await rename(temp, outputFile);
    return summary;
  } catch (error) {
    await writer.abort().catch(() => undefined);
    await Promise.all(files);
    await rm(temp, { force: true });
    throw error;
  }
}
