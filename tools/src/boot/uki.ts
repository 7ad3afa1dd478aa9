import {
  PeFormatError,
  SECTION_HEADER_SIZE,
  alignUp,
  peChecksum,
  readPeLayout,
  writeSectionHeader,
} from './pe.ts';
import type { PeSection } from './pe.ts';

/** What goes into a unified kernel image besides the stub. */
export interface UkiContents {
  /** The kernel image (bzImage / vmlinuz). */
  readonly linux: Uint8Array;
  /** os-release text; systemd-boot lists a UKI only when it has one. */
  readonly osRelease: string;
  readonly cmdline: string;
  readonly initrd: Uint8Array;
  /** `uname -r` of the kernel. */
  readonly uname: string;
  /** SBAT lines added to the stub's own (`component,generation,vendor,package,version,url`). */
  readonly sbat: readonly string[];
  /** Written into the COFF TimeDateStamp, for reproducible output. */
  readonly timestamp: number;
}

const READ_ONLY_DATA = 0x40000040; // IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ

/**
 * Builds a UKI from a systemd EFI stub: the stub's sections are kept at their addresses (its
 * own `.sbat` moves to the end with the added SBAT lines, so every section stays a singleton),
 * packed in the file after the headers, and the UKI sections follow in the UAPI canonical order `.linux .osrel .cmdline .initrd .uname
 * .sbat`, each page-aligned in memory and file-aligned on disk.
 */
export function assembleUki(stub: Uint8Array, contents: UkiContents): Uint8Array {
  const layout = readPeLayout(stub);
  const stubSbat = layout.sections.find((section) => section.name === '.sbat');
  const kept = layout.sections.filter((section) => section !== stubSbat);
  for (const name of ['.linux', '.osrel', '.cmdline', '.initrd', '.uname']) {
    if (kept.some((section) => section.name === name)) {
      throw new PeFormatError(`the stub already has a ${name} section: it is a UKI, not a stub`);
    }
  }
  const encoder = new TextEncoder();
  const stubSbatText = stubSbat
    ? new TextDecoder()
        .decode(stub.subarray(stubSbat.rawOffset, stubSbat.rawOffset + stubSbat.virtualSize))
        .replace(/\0+$/, '')
    : '';
  const sbatText = [stubSbatText.trimEnd(), ...contents.sbat]
    .filter((line) => line !== '')
    .join('\n');
  const payloads: [string, Uint8Array][] = [
    ['.linux', contents.linux],
    ['.osrel', encoder.encode(contents.osRelease)],
    ['.cmdline', encoder.encode(`${contents.cmdline}\0`)],
    ['.initrd', contents.initrd],
    ['.uname', encoder.encode(contents.uname)],
    ['.sbat', encoder.encode(`${sbatText}\n`)],
  ];

  const tableEnd =
    layout.sectionTableOffset + (kept.length + payloads.length) * SECTION_HEADER_SIZE;
  if (tableEnd > layout.sizeOfHeaders) {
    throw new PeFormatError(`the stub's headers have no room for ${payloads.length} more sections`);
  }
  const pageSize = Math.max(layout.sectionAlignment, 4096);
  let virtualAddress = alignUp(
    Math.max(...layout.sections.map((section) => section.virtualAddress + section.virtualSize)),
    pageSize,
  );
  // The stub's sections are packed after the headers in their file order, without the
  // stub's .sbat and without what follows its sections (a COFF symbol table): every byte of
  // the UKI then belongs to the headers or a section, and Authenticode digests, which differ
  // in how they take bytes outside sections, all agree on it.
  if (layout.sizeOfHeaders > stub.length) {
    throw new PeFormatError(`the stub's headers (${layout.sizeOfHeaders} bytes) run past its end`);
  }
  let rawOffset = alignUp(layout.sizeOfHeaders, layout.fileAlignment);
  const placed = new Map<PeSection, PeSection>();
  const moves: { from: number; to: number; size: number }[] = [];
  let previousEnd = layout.sizeOfHeaders;
  for (const section of [...kept].sort((a, b) => a.rawOffset - b.rawOffset)) {
    if (section.rawSize === 0) continue;
    if (
      section.rawOffset % layout.fileAlignment !== 0 ||
      section.rawSize % layout.fileAlignment !== 0
    ) {
      throw new PeFormatError(
        `the stub's section ${section.name} is not aligned to its file alignment`,
      );
    }
    if (section.rawOffset < previousEnd || section.rawOffset + section.rawSize > stub.length) {
      throw new PeFormatError(
        `the stub's section ${section.name} overlaps another, its headers, or runs past its end`,
      );
    }
    previousEnd = section.rawOffset + section.rawSize;
    moves.push({ from: section.rawOffset, to: rawOffset, size: section.rawSize });
    placed.set(section, { ...section, rawOffset });
    rawOffset += section.rawSize;
  }
  const added: PeSection[] = payloads.map(([name, data]) => {
    const section = {
      name,
      virtualAddress,
      virtualSize: data.length,
      rawOffset,
      rawSize: alignUp(data.length, layout.fileAlignment),
      characteristics: READ_ONLY_DATA,
    };
    virtualAddress = alignUp(virtualAddress + data.length, pageSize);
    rawOffset += section.rawSize;
    return section;
  });

  const image = new Uint8Array(rawOffset);
  image.set(stub.subarray(0, layout.sizeOfHeaders));
  for (const move of moves) image.set(stub.subarray(move.from, move.from + move.size), move.to);
  const sections = [...kept.map((section) => placed.get(section) ?? section), ...added];
  sections.forEach((section, index) =>
    writeSectionHeader(image, layout.sectionTableOffset + index * SECTION_HEADER_SIZE, section),
  );
  image.fill(
    0,
    layout.sectionTableOffset + sections.length * SECTION_HEADER_SIZE,
    layout.sizeOfHeaders,
  );
  added.forEach((section, index) =>
    image.set(payloads[index]?.[1] ?? new Uint8Array(), section.rawOffset),
  );

  const view = new DataView(image.buffer);
  view.setUint16(layout.peOffset + 6, sections.length, true);
  // No COFF symbol table: it stayed behind with the stub's trailing bytes.
  view.setUint32(layout.peOffset + 12, 0, true);
  view.setUint32(layout.peOffset + 16, 0, true);
  view.setUint32(layout.peOffset + 8, contents.timestamp >>> 0, true);
  const sizeOfImage = alignUp(
    Math.max(...sections.map((section) => section.virtualAddress + section.virtualSize)),
    layout.sectionAlignment,
  );
  view.setUint32(layout.optionalHeaderOffset + 56, sizeOfImage, true);
  const initialisedData = sections
    .filter((section) => (section.characteristics & 0x40) !== 0)
    .reduce((total, section) => total + section.rawSize, 0);
  view.setUint32(layout.optionalHeaderOffset + 8, initialisedData, true);
  const checksumOffset = layout.optionalHeaderOffset + 64;
  view.setUint32(checksumOffset, 0, true);
  view.setUint32(checksumOffset, peChecksum(image, checksumOffset), true);
  return image;
}
