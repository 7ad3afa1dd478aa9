/** The entries of one directory, with multi-extent files joined and names chosen. */

import { IsoFormatError } from './errors.ts';
import type { ImageFile } from './image-file.ts';
import { jolietName, plainName } from './names.ts';
import {
  FLAG_ASSOCIATED,
  FLAG_DIRECTORY,
  FLAG_NOT_FINAL,
  isSelfOrParent,
  parseRecord,
} from './record.ts';
import type { RawRecord } from './record.ts';
import { readRockRidge } from './susp.ts';
import type { RockRidge } from './susp.ts';
import type { IsoEntry, IsoExtent, IsoNaming } from './types.ts';
import { SECTOR } from './volume.ts';

/** Larger directories are taken for damage (Rocky's biggest hold a few thousand files). */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

/** What reading any directory of one image needs. */
export interface Tree {
  readonly file: ImageFile;
  readonly blockSize: number;
  readonly naming: IsoNaming;
  /** Bytes before the SUSP entries of each record, from the root's `SP` entry. */
  readonly suspSkip: number;
}

export function extentOf(tree: Tree, record: RawRecord): IsoExtent {
  return {
    position: (record.extentBlock + record.extAttrBlocks) * tree.blockSize,
    length: record.dataLength,
  };
}

/** The raw records of a directory, `.` and `..` included, in the order written. */
export async function readRecords(
  tree: Tree,
  extent: IsoExtent,
  where: string,
): Promise<RawRecord[]> {
  if (extent.length > MAX_DIRECTORY_BYTES) {
    throw new IsoFormatError(
      'iso-corrupt',
      tree.file.path,
      `directory ${where} claims ${extent.length} bytes of records`,
    );
  }
  const bytes = await tree.file.read(extent.position, extent.length, `directory ${where}`);
  const records: RawRecord[] = [];
  for (let sector = 0; sector < bytes.length; sector += SECTOR) {
    const area = bytes.subarray(sector, Math.min(sector + SECTOR, bytes.length));
    // A zero length byte ends the sector's records; the rest of it is padding.
    for (let offset = 0; offset < area.length && area[offset] !== 0;) {
      const record = parseRecord(area, offset);
      if (typeof record === 'string') {
        throw new IsoFormatError(
          'iso-corrupt',
          tree.file.path,
          `directory ${where}, byte ${sector + offset}: ${record}`,
        );
      }
      records.push(record);
      offset += record.length;
    }
  }
  return records;
}

function sameIdentifier(a: RawRecord, b: RawRecord): boolean {
  return (
    a.identifier.length === b.identifier.length &&
    a.identifier.every((x, i) => x === b.identifier[i])
  );
}

/** Every listed entry of a directory, in the order written. */
export async function readDirectory(
  tree: Tree,
  extent: IsoExtent,
  where: string,
): Promise<IsoEntry[]> {
  const corrupt = (message: string) =>
    new IsoFormatError('iso-corrupt', tree.file.path, `directory ${where}: ${message}`);
  const entries: IsoEntry[] = [];
  let group: RawRecord[] = [];
  for (const record of await readRecords(tree, extent, where)) {
    if (isSelfOrParent(record) || (record.flags & FLAG_ASSOCIATED) !== 0) continue;
    const first = group[0];
    if (first !== undefined && !sameIdentifier(first, record)) {
      throw corrupt('a multi-extent file is cut short by another file');
    }
    group.push(record);
    if ((record.flags & FLAG_NOT_FINAL) !== 0) continue;
    const entry = await entryOf(tree, group, where, corrupt);
    if (entry !== undefined) entries.push(entry);
    group = [];
  }
  if (group.length > 0) throw corrupt('the last file lacks its final extent');
  return entries;
}

async function entryOf(
  tree: Tree,
  records: readonly RawRecord[],
  where: string,
  corrupt: (message: string) => Error,
): Promise<IsoEntry | undefined> {
  const [first] = records;
  if (first === undefined) return undefined;
  const rockRidge: RockRidge =
    tree.naming === 'rock-ridge'
      ? await readRockRidge(first.systemUse, {
          file: tree.file,
          blockSize: tree.blockSize,
          skip: tree.suspSkip,
          where,
        })
      : { relocated: false };
  if (rockRidge.relocated) return undefined;
  const name =
    tree.naming === 'joliet'
      ? jolietName(first.identifier)
      : (rockRidge.name ?? plainName(first.identifier));
  if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) {
    throw corrupt(`an entry is named ${JSON.stringify(name)}`);
  }
  if (records.some((record) => record.interleaved)) {
    throw corrupt(`${name} is recorded interleaved, which this reader does not support`);
  }
  const mode = rockRidge.mode === undefined ? {} : { mode: rockRidge.mode };
  if (rockRidge.childLink !== undefined) {
    const extent = await relocatedDirectory(tree, rockRidge.childLink, `${where}/${name}`);
    return { name, type: 'directory', size: extent.length, extents: [extent], ...mode };
  }
  if (rockRidge.symlink !== undefined) {
    return { name, type: 'symlink', size: 0, extents: [], target: rockRidge.symlink, ...mode };
  }
  const directory = (first.flags & FLAG_DIRECTORY) !== 0;
  if (directory && records.length > 1) throw corrupt(`directory ${name} has several extents`);
  const extents = records.map((record) => extentOf(tree, record));
  const size = extents.reduce((total, extent) => total + extent.length, 0);
  return { name, type: directory ? 'directory' : 'file', size, extents, ...mode };
}

/** A directory moved out of a deep tree: its own `.` record says where its records are. */
async function relocatedDirectory(tree: Tree, block: number, where: string): Promise<IsoExtent> {
  const sector = await tree.file.read(block * tree.blockSize, SECTOR, `directory ${where}`);
  const self = parseRecord(sector, 0);
  if (typeof self === 'string' || !isSelfOrParent(self)) {
    throw new IsoFormatError(
      'iso-corrupt',
      tree.file.path,
      `directory ${where}: its relocated records do not start with "."`,
    );
  }
  return extentOf(tree, self);
}
