import { existsSync, readFileSync } from 'node:fs';
import { describe } from 'vitest';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { fc, fuzzTest, seedsAndMutants, FuzzFailure } from '../test-support/fuzz.ts';
import type { Focus } from '../test-support/fuzz.ts';
import { PeFormatError, readPeLayout } from './pe.ts';
import type { PeLayout } from './pe.ts';
import { assembleUki } from './uki.ts';

/** A small PE32+ image with the given sections (name, content), as a linker lays one out. */
function syntheticPe(
  sections: readonly (readonly [string, Uint8Array])[],
  fileAlignment = 512,
  sectionAlignment = 4096,
): Uint8Array {
  const peOffset = 0x80;
  const optionalSize = 240;
  const tableOffset = peOffset + 24 + optionalSize;
  const sizeOfHeaders = Math.ceil((tableOffset + 16 * 40) / fileAlignment) * fileAlignment;
  let raw = sizeOfHeaders;
  let virtual = sectionAlignment;
  const placed = sections.map(([name, data]) => {
    const rawSize = Math.ceil(data.length / fileAlignment) * fileAlignment;
    const at = { name, data, rawOffset: raw, rawSize, virtualAddress: virtual };
    raw += rawSize;
    virtual += Math.ceil(Math.max(data.length, 1) / sectionAlignment) * sectionAlignment;
    return at;
  });
  const image = new Uint8Array(raw);
  const view = new DataView(image.buffer);
  view.setUint16(0, 0x5a4d, true);
  view.setUint32(0x3c, peOffset, true);
  view.setUint32(peOffset, 0x00004550, true);
  view.setUint16(peOffset + 4, 0x8664, true);
  view.setUint16(peOffset + 6, placed.length, true);
  view.setUint16(peOffset + 20, optionalSize, true);
  const optional = peOffset + 24;
  view.setUint16(optional, 0x20b, true);
  view.setUint32(optional + 32, sectionAlignment, true);
  view.setUint32(optional + 36, fileAlignment, true);
  view.setUint32(optional + 56, virtual, true);
  view.setUint32(optional + 60, sizeOfHeaders, true);
  view.setUint16(optional + 68, 10, true);
  placed.forEach((section, index) => {
    const at = tableOffset + index * 40;
    image.set(new TextEncoder().encode(section.name).subarray(0, 8), at);
    view.setUint32(at + 8, section.data.length, true);
    view.setUint32(at + 12, section.virtualAddress, true);
    view.setUint32(at + 16, section.rawSize, true);
    view.setUint32(at + 20, section.rawOffset, true);
    view.setUint32(at + 36, 0x40000040, true);
    image.set(section.data, section.rawOffset);
  });
  return image;
}

const text = (value: string) => new TextEncoder().encode(value);

const SYNTHETIC: Uint8Array[] = [
  syntheticPe([
    ['.text', new Uint8Array(700).fill(0xc3)],
    ['.data', text('data')],
    ['.sbat', text('sbat,1,SBAT Version,sbat,1,https://example.org/\n')],
  ]),
  syntheticPe([['.text', new Uint8Array(10).fill(0x90)]], 4096, 4096),
  syntheticPe([], 512, 512),
];

const stubPath = HOST_TOOLS.systemdStub.path;
const STUB = existsSync(stubPath) ? [new Uint8Array(readFileSync(stubPath))] : [];
const SEEDS = [...SYNTHETIC, ...STUB];

/** Mutations go where the headers and the section table are, not into code. */
function headerFocus(image: Uint8Array): Focus {
  try {
    const layout = readPeLayout(image);
    return { start: 0, end: layout.sectionTableOffset + layout.sections.length * 40 + 8 };
  } catch {
    return { start: 0, end: Math.min(image.length, 1024) };
  }
}

const inputs = seedsAndMutants(SEEDS, { focus: headerFocus });

const CONTENTS = {
  linux: new Uint8Array(1000).fill(1),
  osRelease: 'ID=test\n',
  cmdline: 'quiet',
  initrd: new Uint8Array(300).fill(2),
  uname: '6.1.0',
  sbat: ['test,1,Test,test,1,https://example.org/'],
  timestamp: 1_700_000_000,
};
const CONTENT_BYTES = 1000 + 300 + 200;

describe('PE/UKI fuzz', () => {
  fuzzTest('readPeLayout reads any headers or refuses them with PeFormatError', {
    parser: 'PE layout',
    runs: 5000,
    inputs,
    parse: ({ bytes }) => readPeLayout(bytes),
    errors: [PeFormatError],
    check: (result, { bytes }) => {
      const layout = result as PeLayout;
      const end = layout.sectionTableOffset + layout.sections.length * 40;
      if (end > bytes.length) throw new FuzzFailure(`section table ends at ${end}, past the file`);
    },
  });

  fuzzTest('assembleUki wraps a stub or refuses it, with an output bounded by its input', {
    parser: 'UKI assembly',
    runs: 3000,
    inputs: fc.tuple(inputs, fc.boolean()),
    parse: ([{ bytes }, sbat]) =>
      assembleUki(bytes, { ...CONTENTS, sbat: sbat ? CONTENTS.sbat : [] }),
    bytesOf: ([{ bytes }]) => bytes,
    errors: [PeFormatError],
    check: (result, [{ bytes }]) => {
      const image = result as Uint8Array;
      // Six added sections, each padded to the file alignment, which a PE caps at 64 KiB.
      const bound = bytes.length + CONTENT_BYTES + 8 * 65536;
      if (image.length > bound) {
        throw new FuzzFailure(`a ${bytes.length}-byte stub became a ${image.length}-byte UKI`);
      }
    },
  });
});
