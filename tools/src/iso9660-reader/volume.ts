/** The volume descriptors (ECMA-119 8): where the directory trees start, and with what names. */

import { IsoFormatError } from './errors.ts';
import type { ImageFile } from './image-file.ts';
import { FLAG_DIRECTORY, le16, parseRecord } from './record.ts';
import type { RawRecord } from './record.ts';

/** Volume descriptors are 2048-byte sectors from sector 16 on, whatever the block size. */
export const SECTOR = 2048;
const FIRST_DESCRIPTOR = 16;
/** Real images have a handful; this bounds the search in a damaged one. */
const MAX_DESCRIPTORS = 64;

const TYPE_PRIMARY = 1;
const TYPE_SUPPLEMENTARY = 2;
const TYPE_TERMINATOR = 255;
const STANDARD_ID = [0x43, 0x44, 0x30, 0x30, 0x31]; // CD001
/** Joliet's escape sequences for UCS-2 levels 1, 2 and 3: `%/@`, `%/C`, `%/E`. */
const JOLIET_LEVELS = [0x40, 0x43, 0x45];

export interface Volume {
  readonly blockSize: number;
  readonly primaryRoot: RawRecord;
  readonly jolietRoot?: RawRecord;
}

function isDescriptor(sector: Uint8Array): boolean {
  return STANDARD_ID.every((byte, index) => sector[1 + index] === byte);
}

function isJoliet(sector: Uint8Array): boolean {
  return sector[88] === 0x25 && sector[89] === 0x2f && JOLIET_LEVELS.includes(sector[90] ?? 0);
}

function rootRecord(file: ImageFile, sector: Uint8Array, what: string): RawRecord {
  const root = parseRecord(sector.subarray(156, 190), 0);
  if (typeof root === 'string') {
    throw new IsoFormatError('iso-corrupt', file.path, `the ${what}'s root record: ${root}`);
  }
  if ((root.flags & FLAG_DIRECTORY) === 0) {
    throw new IsoFormatError('iso-corrupt', file.path, `the ${what}'s root is not a directory`);
  }
  return root;
}

export async function readVolume(file: ImageFile): Promise<Volume> {
  if (file.size < (FIRST_DESCRIPTOR + 1) * SECTOR) {
    throw new IsoFormatError(
      'iso-not-iso9660',
      file.path,
      `not an ISO 9660 image: ${file.size} bytes is too small to hold a volume descriptor`,
    );
  }
  let primary: { blockSize: number; root: RawRecord } | undefined;
  let jolietRoot: RawRecord | undefined;
  for (let index = 0; ; index += 1) {
    const position = (FIRST_DESCRIPTOR + index) * SECTOR;
    if (index >= MAX_DESCRIPTORS || position + SECTOR > file.size) {
      throw new IsoFormatError(
        'iso-corrupt',
        file.path,
        `no volume descriptor set terminator among the ${index} descriptors from sector ${FIRST_DESCRIPTOR}`,
      );
    }
    const sector = await file.read(position, SECTOR, `volume descriptor ${index}`);
    if (!isDescriptor(sector)) {
      throw index === 0
        ? new IsoFormatError(
            'iso-not-iso9660',
            file.path,
            `not an ISO 9660 image: sector ${FIRST_DESCRIPTOR} holds no volume descriptor (CD001)`,
          )
        : new IsoFormatError(
            'iso-corrupt',
            file.path,
            `sector ${FIRST_DESCRIPTOR + index} interrupts the volume descriptors`,
          );
    }
    const type = sector[0];
    if (type === TYPE_TERMINATOR) break;
    if (type === TYPE_PRIMARY && primary === undefined) {
      const blockSize = le16(sector, 128);
      if (![512, 1024, 2048].includes(blockSize)) {
        throw new IsoFormatError(
          'iso-corrupt',
          file.path,
          `the primary volume descriptor gives a block size of ${blockSize} bytes`,
        );
      }
      primary = { blockSize, root: rootRecord(file, sector, 'primary volume descriptor') };
    } else if (type === TYPE_SUPPLEMENTARY && jolietRoot === undefined && isJoliet(sector)) {
      jolietRoot = rootRecord(file, sector, 'Joliet volume descriptor');
    }
  }
  if (primary === undefined) {
    throw new IsoFormatError(
      'iso-not-iso9660',
      file.path,
      'not an ISO 9660 image: it has no primary volume descriptor',
    );
  }
  return {
    blockSize: primary.blockSize,
    primaryRoot: primary.root,
    ...(jolietRoot === undefined ? {} : { jolietRoot }),
  };
}
