/**
 * The System Use Sharing Protocol entries of a directory record, and the Rock Ridge ones
 * among them that the reader uses: `NM` (name), `SL` (symlink), `PX` (mode), `CL`/`RE`
 * (directories relocated out of a too-deep tree). `CE` continuation areas are followed.
 */

import type { ImageFile } from './image-file.ts';
import { le32 } from './record.ts';

/** What the Rock Ridge entries of one record say. */
export interface RockRidge {
  readonly name?: string;
  readonly symlink?: string;
  readonly mode?: number;
  /** `CL`: the record stands for the directory at this block. */
  readonly childLink?: number;
  /** `RE`: the directory was moved here from deeper in the tree; it is hidden. */
  readonly relocated: boolean;
}

/** The `SP` entry that announces SUSP in the root's `.` record: bytes to skip in each area. */
export function suspSkip(systemUse: Uint8Array): number | undefined {
  const isSp =
    systemUse.length >= 7 &&
    systemUse[0] === 0x53 && // S
    systemUse[1] === 0x50 && // P
    systemUse[4] === 0xbe &&
    systemUse[5] === 0xef;
  return isSp ? (systemUse[6] ?? 0) : undefined;
}

/** Most continuation areas followed for one record, and the largest one read. */
const MAX_CONTINUATIONS = 16;
const MAX_CONTINUATION_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8');

interface Entry {
  readonly signature: string;
  readonly data: Uint8Array;
}

export interface SuspContext {
  readonly file: ImageFile;
  readonly blockSize: number;
  readonly skip: number;
  /** For messages: the directory the record is in. */
  readonly where: string;
}

/** Every SUSP entry of a record, continuation areas included, in order. */
async function entriesOf(systemUse: Uint8Array, context: SuspContext): Promise<Entry[]> {
  const entries: Entry[] = [];
  let area: Uint8Array | undefined = systemUse.subarray(Math.min(context.skip, systemUse.length));
  let continuations = 0;
  while (area !== undefined) {
    let next: { block: number; offset: number; length: number } | undefined;
    let offset = 0;
    while (offset + 4 <= area.length) {
      const length = area[offset + 2] ?? 0;
      if (length < 4 || offset + length > area.length) break;
      const signature = String.fromCharCode(area[offset] ?? 0, area[offset + 1] ?? 0);
      const data = area.subarray(offset + 4, offset + length);
      offset += length;
      if (signature === 'ST') break;
      if (signature === 'CE' && data.length >= 24) {
        next = { block: le32(data, 0), offset: le32(data, 8), length: le32(data, 16) };
        continue;
      }
      entries.push({ signature, data });
    }
    area = undefined;
    if (next !== undefined && next.length > 0) {
      continuations += 1;
      if (continuations > MAX_CONTINUATIONS || next.length > MAX_CONTINUATION_BYTES) break;
      area = await context.file.read(
        next.block * context.blockSize + next.offset,
        next.length,
        `a Rock Ridge continuation area of a record in ${context.where}`,
      );
    }
  }
  return entries;
}

/** The Rock Ridge facts of one record. */
export async function readRockRidge(
  systemUse: Uint8Array,
  context: SuspContext,
): Promise<RockRidge> {
  let name: string | undefined;
  let symlink: string[] | undefined;
  let symlinkContinues = false;
  let mode: number | undefined;
  let childLink: number | undefined;
  let relocated = false;
  for (const { signature, data } of await entriesOf(systemUse, context)) {
    switch (signature) {
      case 'NM': {
        const flags = data[0] ?? 0;
        // `.` and `..` carry flags rather than text; they are never listed.
        if ((flags & 0x06) === 0) name = (name ?? '') + utf8.decode(data.subarray(1));
        break;
      }
      case 'SL': {
        // A component cut at the end of one SL entry goes on in the next.
        const added = appendComponents(symlink ?? [], data.subarray(1), symlinkContinues);
        symlink = added.parts;
        symlinkContinues = added.continues;
        break;
      }
      case 'PX':
        if (data.length >= 4) mode = le32(data, 0);
        break;
      case 'CL':
        if (data.length >= 4) childLink = le32(data, 0);
        break;
      case 'RE':
        relocated = true;
        break;
    }
  }
  return {
    ...(name === undefined ? {} : { name }),
    ...(symlink === undefined ? {} : { symlink: joinComponents(symlink) }),
    ...(mode === undefined ? {} : { mode }),
    ...(childLink === undefined ? {} : { childLink }),
    relocated,
  };
}

const COMPONENT_CONTINUE = 0x01;
const COMPONENT_CURRENT = 0x02;
const COMPONENT_PARENT = 0x04;
const COMPONENT_ROOT = 0x08;

/** The component records of one `SL` entry added to `parts`. */
function appendComponents(
  parts: readonly string[],
  records: Uint8Array,
  continuing: boolean,
): { parts: string[]; continues: boolean } {
  const result = [...parts];
  let joinNext = continuing;
  let offset = 0;
  while (offset + 2 <= records.length) {
    const flags = records[offset] ?? 0;
    const length = records[offset + 1] ?? 0;
    const content = records.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    let text: string;
    if ((flags & COMPONENT_ROOT) !== 0) text = '';
    else if ((flags & COMPONENT_CURRENT) !== 0) text = '.';
    else if ((flags & COMPONENT_PARENT) !== 0) text = '..';
    else text = utf8.decode(content);
    if (joinNext && result.length > 0) result[result.length - 1] += text;
    else result.push(text);
    joinNext = (flags & COMPONENT_CONTINUE) !== 0;
  }
  return { parts: result, continues: joinNext };
}

/** `['', 'usr', 'lib']` → `/usr/lib`; a lone root component is `/`. */
function joinComponents(parts: readonly string[]): string {
  return parts.length === 1 && parts[0] === '' ? '/' : parts.join('/');
}
