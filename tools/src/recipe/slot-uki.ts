/**
 * The UKI of the other slot, made from the running slot's own: the same kernel, initramfs and
 * os-release, with the kernel command line's `root=PARTLABEL=system-<slot>` naming the other
 * slot. A change composed into the other slot is a copy of the running system, so it must boot
 * the running kernel, whose modules it holds; the other slot's old UKI may be another build.
 *
 * The slot letter is one byte in the `.cmdline` section, so it is replaced in place: the PE
 * layout does not move. A signature the UKI had no longer matches; recupdate signs the UKIs
 * it installs when the machine has its own Secure Boot key.
 */

import { PeFormatError, peChecksum, readPeLayout } from '../boot/pe.ts';
import type { PeLayout } from '../boot/pe.ts';
import { SlotChangeError } from './recipe-errors.ts';

export type Slot = 'a' | 'b';

/** The kernel command-line word that roots the system on a slot, as the variants write it. */
export const rootOnSlot = (slot: Slot): string => `root=PARTLABEL=system-${slot}`;

/** Where CheckSum sits in a PE32+ optional header. */
const CHECKSUM_IN_OPTIONAL_HEADER = 64;

function fail(file: string, problem: string, cause?: unknown): SlotChangeError {
  return new SlotChangeError('make the UKI of the other slot', `${file}: ${problem}`, {
    hint: 'recupdate uki names the UKI the running slot booted from; reinstall it from the ISO if it is damaged',
    cause,
  });
}

function layoutOf(bytes: Uint8Array, file: string): PeLayout {
  try {
    return readPeLayout(bytes);
  } catch (error) {
    if (error instanceof PeFormatError) throw fail(file, `is not a UKI: ${error.message}`, error);
    throw error;
  }
}

/**
 * A copy of the UKI `bytes` (read from `file`) whose command line roots the system on slot
 * `to` instead of `from`. Refuses a UKI whose command line does not name `from` exactly once.
 */
export function retargetUki(bytes: Buffer, file: string, from: Slot, to: Slot): Buffer {
  const layout = layoutOf(bytes, file);
  const cmdline = layout.sections.find((section) => section.name === '.cmdline');
  if (cmdline === undefined) throw fail(file, 'has no .cmdline section');
  const start = cmdline.rawOffset;
  const size = Math.min(cmdline.virtualSize, cmdline.rawSize);
  if (start + size > bytes.length) throw fail(file, 'has a .cmdline section past its end');
  const text = bytes.toString('latin1', start, start + size);
  const word = rootOnSlot(from);
  const pattern = new RegExp(`(?:^|\\s)${word}(?=\\s|\\0|$)`, 'g');
  const matches = [...text.matchAll(pattern)];
  if (matches.length !== 1) {
    throw fail(
      file,
      `its command line (${text.replace(/\0+$/, '').trim()}) does not hold ${word} exactly once`,
    );
  }
  const match = matches[0] as RegExpMatchArray;
  const letter = start + (match.index ?? 0) + match[0].length - 1;
  const copy = Buffer.from(bytes);
  copy.write(to, letter, 'latin1');
  const checksumAt = layout.optionalHeaderOffset + CHECKSUM_IN_OPTIONAL_HEADER;
  copy.writeUInt32LE(peChecksum(copy, checksumAt), checksumAt);
  return copy;
}
