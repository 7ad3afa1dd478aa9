import { describe, expect, it } from 'vitest';
import { PeFormatError, readPeLayout } from './pe.ts';
import { assembleUki } from './uki.ts';

/** Found by the PE/UKI fuzz test: headers that are cut short or give impossible alignments. */

const PE_OFFSET = 0x80;
const OPTIONAL = PE_OFFSET + 24;

/** Headers of a PE32+ image with no sections, 512 bytes long. */
function image(fileAlignment = 512, sectionAlignment = 4096, optionalSize = 240): Uint8Array {
  const bytes = new Uint8Array(1024);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x5a4d, true);
  view.setUint32(0x3c, PE_OFFSET, true);
  view.setUint32(PE_OFFSET, 0x00004550, true);
  view.setUint16(PE_OFFSET + 20, optionalSize, true);
  view.setUint16(OPTIONAL, 0x20b, true);
  view.setUint32(OPTIONAL + 32, sectionAlignment, true);
  view.setUint32(OPTIONAL + 36, fileAlignment, true);
  view.setUint32(OPTIONAL + 60, 1024, true);
  return bytes;
}

const CONTENTS = {
  linux: new Uint8Array(10),
  osRelease: 'ID=test\n',
  cmdline: '',
  initrd: new Uint8Array(10),
  uname: '6.1.0',
  sbat: [],
  timestamp: 0,
};

describe('hostile PE headers', () => {
  it('reads a well-formed header', () => {
    expect(readPeLayout(image()).fileAlignment).toBe(512);
  });

  it.each([
    ['ends right after the COFF header', image().subarray(0, OPTIONAL)],
    ['ends one byte into the optional header', image().subarray(0, OPTIONAL + 1)],
    ['declares an optional header too small for its fields', image(512, 4096, 8)],
  ])('refuses an image that %s', (_, bytes) => {
    expect(() => readPeLayout(bytes)).toThrow(PeFormatError);
  });

  it.each([
    ['a zero file alignment', image(0)],
    ['a file alignment that is not a power of two', image(1000)],
    ['a file alignment past 64 KiB', image(0x80000000)],
    ['a zero section alignment', image(512, 0)],
  ])('refuses %s, which would size the UKI wrongly', (_, bytes) => {
    expect(() => readPeLayout(bytes)).toThrow(PeFormatError);
    expect(() => assembleUki(bytes, CONTENTS)).toThrow(PeFormatError);
  });
});
