/** An ISO 9660 image opened for reading, never mounted: lookups, listings and file streams. */

import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { extentOf, readDirectory, readRecords } from './directory.ts';
import type { Tree } from './directory.ts';
import { IsoPathError } from './errors.ts';
import { imageFile } from './image-file.ts';
import type { ImageFile } from './image-file.ts';
import { DEFAULT_CHUNK_SIZE, extentStream } from './read-stream.ts';
import { isSelfOrParent } from './record.ts';
import { suspSkip } from './susp.ts';
import type { IsoEntry, IsoNaming, IsoReadStreamOptions } from './types.ts';
import { readVolume } from './volume.ts';

export interface IsoImage {
  /** The image file, as given to {@link openIsoImage}. */
  readonly path: string;
  /** Rock Ridge when present, else Joliet when present, else plain ISO 9660 names. */
  readonly naming: IsoNaming;
  /** The entries of a directory (`''` or `/` is the root), in the order the image holds them. */
  list(dir: string): Promise<IsoEntry[]>;
  /** The entry at a `/`-separated path; names are compared case-sensitively. */
  stat(path: string): Promise<IsoEntry>;
  /** The content of a regular file, read from its extents a chunk at a time. */
  createReadStream(path: string | IsoEntry, options?: IsoReadStreamOptions): Promise<Readable>;
  close(): Promise<void>;
}

/** Opens an image and reads its volume descriptors; the caller closes it. */
export async function openIsoImage(path: string): Promise<IsoImage> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const file = imageFile(path, handle, size);
    return await imageOver(file);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function imageOver(file: ImageFile): Promise<IsoImage> {
  const volume = await readVolume(file);
  const primaryTree: Tree = {
    file,
    blockSize: volume.blockSize,
    naming: 'rock-ridge',
    suspSkip: 0,
  };
  const [self] = await readRecords(primaryTree, extentOf(primaryTree, volume.primaryRoot), '/');
  const skip = self !== undefined && isSelfOrParent(self) ? suspSkip(self.systemUse) : undefined;
  let tree: Tree;
  let rootRecord = volume.primaryRoot;
  if (skip !== undefined) {
    tree = { ...primaryTree, suspSkip: skip };
  } else if (volume.jolietRoot !== undefined) {
    tree = { ...primaryTree, naming: 'joliet' };
    rootRecord = volume.jolietRoot;
  } else {
    tree = { ...primaryTree, naming: 'iso9660' };
  }
  const root: IsoEntry = {
    name: '',
    type: 'directory',
    size: rootRecord.dataLength,
    extents: [extentOf(tree, rootRecord)],
  };
  return treeReader(tree, root);
}

function segmentsOf(file: ImageFile, path: string): string[] {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..') || path.includes('\0')) {
    throw new IsoPathError('EINVAL', file.path, path, 'not a path inside the image');
  }
  return segments;
}

function treeReader(tree: Tree, root: IsoEntry): IsoImage {
  const { file } = tree;
  // Directories already read, by the position of their records; dropped with the image.
  const directories = new Map<number, Promise<IsoEntry[]>>();

  function entriesOf(directory: IsoEntry, where: string): Promise<IsoEntry[]> {
    const [extent] = directory.extents;
    if (extent === undefined) return Promise.resolve([]);
    let entries = directories.get(extent.position);
    if (entries === undefined) {
      entries = readDirectory(tree, extent, where === '' ? '/' : where);
      directories.set(extent.position, entries);
      entries.catch(() => directories.delete(extent.position));
    }
    return entries;
  }

  async function lookup(path: string): Promise<IsoEntry> {
    let entry = root;
    let where = '';
    for (const segment of segmentsOf(file, path)) {
      if (entry.type !== 'directory') {
        throw new IsoPathError('ENOTDIR', file.path, where, 'not a directory');
      }
      const found = (await entriesOf(entry, where)).find((candidate) => candidate.name === segment);
      where = where === '' ? segment : `${where}/${segment}`;
      if (found === undefined) {
        throw new IsoPathError('ENOENT', file.path, where, 'no such file or directory');
      }
      entry = found;
    }
    return entry;
  }

  return {
    path: file.path,
    naming: tree.naming,
    async list(dir) {
      const entry = await lookup(dir);
      if (entry.type !== 'directory') {
        throw new IsoPathError('ENOTDIR', file.path, dir, 'not a directory');
      }
      return [...(await entriesOf(entry, segmentsOf(file, dir).join('/')))];
    },
    stat: lookup,
    async createReadStream(target, options) {
      const entry = typeof target === 'string' ? await lookup(target) : target;
      const what = typeof target === 'string' ? target : entry.name;
      if (entry.type === 'directory') {
        throw new IsoPathError('EISDIR', file.path, what, 'is a directory');
      }
      if (entry.type === 'symlink') {
        throw new IsoPathError('EINVAL', file.path, what, `is a symlink to ${entry.target ?? '?'}`);
      }
      const chunkSize = options?.chunkSize ?? DEFAULT_CHUNK_SIZE;
      return extentStream(file, entry.extents, chunkSize, `file ${what}`);
    },
    close: () => file.close(),
  };
}
