/**
 * The parts of PE/COFF (PE32+) that assembling a UKI needs: the headers, the section table,
 * alignment, and the image checksum.
 */

export interface PeSection {
  readonly name: string;
  readonly virtualAddress: number;
  readonly virtualSize: number;
  readonly rawOffset: number;
  readonly rawSize: number;
  readonly characteristics: number;
}

export interface PeLayout {
  readonly peOffset: number;
  readonly optionalHeaderOffset: number;
  readonly sectionTableOffset: number;
  readonly sectionAlignment: number;
  readonly fileAlignment: number;
  readonly sizeOfHeaders: number;
  readonly sections: readonly PeSection[];
}

const PE32_PLUS = 0x20b;
export const SECTION_HEADER_SIZE = 40;
/** The optional header up to and including CheckSum, the last field read or written here. */
const OPTIONAL_HEADER_USED = 68;
/** The PE format's bound on FileAlignment, which sets how much padding each section gets. */
const MAX_FILE_ALIGNMENT = 0x10000;

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}

export class PeFormatError extends Error {
  override name = 'PeFormatError';
}

export function readPeLayout(image: Uint8Array): PeLayout {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image.length < 0x40 || view.getUint16(0, true) !== 0x5a4d)
    throw new PeFormatError('no MZ header');
  const peOffset = view.getUint32(0x3c, true);
  if (peOffset + 24 > image.length || view.getUint32(peOffset, true) !== 0x00004550) {
    throw new PeFormatError('no PE signature');
  }
  const sectionCount = view.getUint16(peOffset + 6, true);
  const optionalSize = view.getUint16(peOffset + 20, true);
  const optionalHeaderOffset = peOffset + 24;
  if (optionalSize < OPTIONAL_HEADER_USED || optionalHeaderOffset + optionalSize > image.length) {
    throw new PeFormatError('the optional header is cut short');
  }
  if (view.getUint16(optionalHeaderOffset, true) !== PE32_PLUS)
    throw new PeFormatError('not a PE32+ image');
  const sectionTableOffset = optionalHeaderOffset + optionalSize;
  if (sectionTableOffset + sectionCount * SECTION_HEADER_SIZE > image.length) {
    throw new PeFormatError('section table runs past the end of the file');
  }
  const sections: PeSection[] = [];
  for (let index = 0; index < sectionCount; index++) {
    const at = sectionTableOffset + index * SECTION_HEADER_SIZE;
    sections.push({
      name: new TextDecoder().decode(image.subarray(at, at + 8)).replace(/\0+$/, ''),
      virtualSize: view.getUint32(at + 8, true),
      virtualAddress: view.getUint32(at + 12, true),
      rawSize: view.getUint32(at + 16, true),
      rawOffset: view.getUint32(at + 20, true),
      characteristics: view.getUint32(at + 36, true),
    });
  }
  const sectionAlignment = view.getUint32(optionalHeaderOffset + 32, true);
  const fileAlignment = view.getUint32(optionalHeaderOffset + 36, true);
  if (!isPowerOfTwo(fileAlignment) || fileAlignment > MAX_FILE_ALIGNMENT) {
    throw new PeFormatError(`file alignment ${fileAlignment} is not a power of two up to 64 KiB`);
  }
  if (!isPowerOfTwo(sectionAlignment)) {
    throw new PeFormatError(`section alignment ${sectionAlignment} is not a power of two`);
  }
  return {
    peOffset,
    optionalHeaderOffset,
    sectionTableOffset,
    sectionAlignment,
    fileAlignment,
    sizeOfHeaders: view.getUint32(optionalHeaderOffset + 60, true),
    sections,
  };
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export function writeSectionHeader(target: Uint8Array, at: number, section: PeSection): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  target.fill(0, at, at + SECTION_HEADER_SIZE);
  target.set(new TextEncoder().encode(section.name).subarray(0, 8), at);
  view.setUint32(at + 8, section.virtualSize, true);
  view.setUint32(at + 12, section.virtualAddress, true);
  view.setUint32(at + 16, section.rawSize, true);
  view.setUint32(at + 20, section.rawOffset, true);
  view.setUint32(at + 36, section.characteristics, true);
}

/** The PE image checksum: a 16-bit folded sum of the file, with the CheckSum field taken as 0. */
export function peChecksum(image: Uint8Array, checksumOffset: number): number {
  let sum = 0;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const words = Math.floor(image.length / 2);
  for (let index = 0; index < words; index++) {
    const at = index * 2;
    if (at === checksumOffset || at === checksumOffset + 2) continue;
    sum += view.getUint16(at, true);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (image.length % 2 === 1) {
    sum += image[image.length - 1] ?? 0;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ((sum & 0xffff) + image.length) >>> 0;
}
