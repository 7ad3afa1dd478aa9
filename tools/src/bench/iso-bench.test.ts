import { describe, expect, it } from 'vitest';
import { hybridProblems } from './iso-bench.ts';

/** What xorriso reports about an image the build mastered (trimmed). */
const HYBRID = [
  'El Torito catalog  : 66  1',
  'El Torito images   :   N  Pltf  B   Emul  Ld_seg  Hdpt  Ldsiz         LBA',
  'El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4          67',
  'El Torito boot img :   2  UEFI  y   none  0x0000  0x00  26624       79430',
  'System area summary: MBR protective-msdos-label grub2-mbr cyl-align-off GPT',
  'GPT type GUID      :   1  a2a0d0ebe5b9334487c068b6b72699c7',
  'GPT type GUID      :   2  28732ac11ff8d211ba4b00a0c93ec93b',
].join('\n');

describe('hybridProblems', () => {
  it('finds nothing missing in an image that boots four ways', () => {
    expect(hybridProblems(HYBRID)).toEqual([]);
  });

  it('names what a plain ISO 9660 image lacks', () => {
    const plain = 'Boot record  : (none)\nVolume id    : ACORNOS';
    expect(hybridProblems(plain)).toEqual([
      'a BIOS El Torito image',
      'a UEFI El Torito image',
      'a GPT EFI system partition',
    ]);
  });

  it('names the ESP when only the El Torito images are there', () => {
    const withoutEsp = HYBRID.split('\n').filter((line) => !line.includes('28732ac1'));
    expect(hybridProblems(withoutEsp.join('\n'))).toEqual(['a GPT EFI system partition']);
  });
});
