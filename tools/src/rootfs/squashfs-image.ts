import { rename, rm } from 'node:fs/promises';
import { SquashfsWriter } from '@levitate/squashfs';
import type {
  NodeMeta as SquashfsMeta,
  SquashfsCompressor,
  SquashfsSummary,
} from '@levitate/squashfs';
import { InternalError } from '../core/errors.ts';
import type { ContentStore } from './content-store.ts';
import type { ImageTree } from './image-tree.ts';
import type { ImageNode } from './nodes.ts';

export interface WriteSquashfsOptions {
  readonly compressor: SquashfsCompressor;
  /** The image's own time stamp; the tree's build epoch when not given. */
  readonly mkfsTime?: number;
  /** Compression threads; the image does not depend on it. */
  readonly workers?: number;
  readonly blockSize?: number;
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
 * Writes the tree as a squashfs image: every path in sorted order (so file data is laid out
 * the same way every time), contents streamed from the store and checked against their
 * digests, hard links last. The image is written to a temporary name and renamed into place.
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
  });
  const files: Promise<unknown>[] = [];
  try {
    const hardlinks: [string, string][] = [];
    for (const path of paths) {
      const node = tree.get(path) as ImageNode;
      if (node.kind === 'hardlink') hardlinks.push([path, node.target]);
      else if (node.kind === 'directory') writer.directory(path, metaOf(node));
      else if (node.kind === 'file') {
        files.push(
          writer.file(path, metaOf(node), store.stream(node.content.sha256)).catch(() => undefined),
        );
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
