/**
 * The Authenticode digest of a PE/COFF image: what a signature covers and what UEFI firmware
 * recomputes before it starts an image. The ranges are those of the Authenticode PE
 * specification as EDK2's DxeImageVerificationLib hashes them: the headers without the
 * CheckSum field and the Certificate Table entry, the sections in file order, then whatever
 * lies past the bytes hashed so far, up to the certificate table.
 */

import { createHash } from 'node:crypto';
import { PeFormatError, readPeLayout } from '../boot/pe.ts';
import type { PeLayout } from '../boot/pe.ts';

/** Where the signature-related fields of a PE32+ image are. */
export interface SignatureFields {
  readonly layout: PeLayout;
  /** Offset of the optional header's CheckSum. */
  readonly checksumOffset: number;
  /** Offset of the Certificate Table data directory entry (offset, size). */
  readonly certificateEntryOffset: number;
  /** The certificate table the image has now; size 0 when it is unsigned. */
  readonly certificateTable: { readonly offset: number; readonly size: number };
}

const CHECKSUM_AT = 64;
const RVA_COUNT_AT = 108;
const DATA_DIRECTORIES_AT = 112;
const CERTIFICATE_DIRECTORY = 4;

export function signatureFields(image: Uint8Array): SignatureFields {
  const layout = readPeLayout(image);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const optional = layout.optionalHeaderOffset;
  const directories = view.getUint32(optional + RVA_COUNT_AT, true);
  const certificateEntryOffset = optional + DATA_DIRECTORIES_AT + CERTIFICATE_DIRECTORY * 8;
  if (directories <= CERTIFICATE_DIRECTORY || certificateEntryOffset + 8 > layout.sizeOfHeaders) {
    throw new PeFormatError('the image has no Certificate Table entry to sign into');
  }
  const offset = view.getUint32(certificateEntryOffset, true);
  const size = view.getUint32(certificateEntryOffset + 4, true);
  if (size !== 0 && offset + size !== image.length) {
    throw new PeFormatError(
      `the certificate table (${size} bytes at ${offset}) is not at the end of the image`,
    );
  }
  return {
    layout,
    checksumOffset: optional + CHECKSUM_AT,
    certificateEntryOffset,
    certificateTable: { offset, size },
  };
}

/** SHA-256 over the ranges a signature covers, with the image's own certificate table left out. */
export function peImageDigest(image: Uint8Array): Buffer {
  const fields = signatureFields(image);
  const { layout } = fields;
  if (layout.sizeOfHeaders > image.length) {
    throw new PeFormatError('the headers run past the end of the image');
  }
  const hash = createHash('sha256');
  hash.update(image.subarray(0, fields.checksumOffset));
  hash.update(image.subarray(fields.checksumOffset + 4, fields.certificateEntryOffset));
  hash.update(image.subarray(fields.certificateEntryOffset + 8, layout.sizeOfHeaders));
  let hashed = layout.sizeOfHeaders;
  const sections = layout.sections
    .filter((section) => section.rawSize !== 0)
    .sort((a, b) => a.rawOffset - b.rawOffset);
  for (const section of sections) {
    const end = section.rawOffset + section.rawSize;
    if (end > image.length) {
      throw new PeFormatError(`section ${section.name} runs past the end of the image`);
    }
    hash.update(image.subarray(section.rawOffset, end));
    hashed += section.rawSize;
  }
  const signedEnd = image.length - fields.certificateTable.size;
  if (signedEnd > hashed) hash.update(image.subarray(hashed, signedEnd));
  return hash.digest();
}
