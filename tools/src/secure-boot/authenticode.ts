/**
 * Authenticode signing of EFI images: a PKCS #7 SignedData over the image's digest, appended
 * as a WIN_CERTIFICATE, as sbsign and signtool write it. Unlike sbsign, no signing time goes
 * into the signed attributes, so the same key, certificate and image always give the same
 * bytes (RSA PKCS #1 v1.5 signatures are deterministic).
 */

import { createHash, sign } from 'node:crypto';
import { PeFormatError, peChecksum } from '../boot/pe.ts';
import {
  TAG,
  algorithm,
  contextTag,
  objectIdentifier,
  octetString,
  readElement,
  sequence,
  setOf,
  smallInteger,
  tlv,
} from '../core/der.ts';
import { peImageDigest, signatureFields } from './pe-image-digest.ts';
import type { SigningKey } from './signing-key.ts';

const OID = Object.freeze({
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  spcPeImageData: '1.3.6.1.4.1.311.2.1.15',
});

/** The file link of SpcPeImageData that every Authenticode signer writes: "<<<Obsolete>>>". */
const OBSOLETE_FILE_LINK = tlv(
  contextTag(0),
  tlv(contextTag(2), tlv(0x80, Buffer.from('<<<Obsolete>>>', 'utf16le').swap16())),
);

const WIN_CERT_REVISION_2_0 = 0x0200;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
const WIN_CERTIFICATE_HEADER = 8;

/** SpcIndirectDataContent: "this is a PE image whose SHA-256 digest is …". */
function indirectDataContent(imageDigest: Uint8Array): Uint8Array {
  return sequence(
    sequence(
      objectIdentifier(OID.spcPeImageData),
      sequence(tlv(TAG.bitString, Uint8Array.of(0)), OBSOLETE_FILE_LINK),
    ),
    sequence(algorithm(OID.sha256), octetString(imageDigest)),
  );
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return sequence(objectIdentifier(type), setOf(value));
}

/** The PKCS #7 SignedData (as a ContentInfo) of an image digest. */
export function authenticodeSignature(imageDigest: Uint8Array, key: SigningKey): Uint8Array {
  const content = indirectDataContent(imageDigest);
  // The message digest covers the content's value, without its own tag and length.
  const contentValue = readElement(content).content;
  const attributes = [
    attribute(OID.contentType, objectIdentifier(OID.spcIndirectData)),
    attribute(OID.messageDigest, octetString(createHash('sha256').update(contentValue).digest())),
  ];
  const signedAttributes = setOf(...attributes);
  const signature = sign('sha256', signedAttributes, key.privateKey);
  const signerInfo = sequence(
    smallInteger(1),
    sequence(key.certificate.issuer, key.certificate.serialNumber),
    algorithm(OID.sha256),
    // The same attributes, tagged [0] IMPLICIT instead of SET.
    tlv(contextTag(0), readElement(signedAttributes).content),
    algorithm(OID.rsaEncryption),
    octetString(signature),
  );
  const signedData = sequence(
    smallInteger(1),
    setOf(algorithm(OID.sha256)),
    sequence(objectIdentifier(OID.spcIndirectData), tlv(contextTag(0), content)),
    tlv(contextTag(0), key.certificate.der),
    setOf(signerInfo),
  );
  return sequence(objectIdentifier(OID.signedData), tlv(contextTag(0), signedData));
}

function alignUp8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

/**
 * The image signed with `key`: padded to 8 bytes, its digest signed, the signature appended
 * as the certificate table and the CheckSum recomputed. An image that already carries a
 * signature is refused rather than signed twice.
 */
export function signPeImage(image: Uint8Array, key: SigningKey): Uint8Array {
  const fields = signatureFields(image);
  if (fields.certificateTable.size !== 0) {
    throw new PeFormatError('the image is already signed');
  }
  const padded = new Uint8Array(alignUp8(image.length));
  padded.set(image);
  const signature = authenticodeSignature(peImageDigest(padded), key);
  const certificateLength = WIN_CERTIFICATE_HEADER + signature.length;
  const tableSize = alignUp8(certificateLength);
  const signed = new Uint8Array(padded.length + tableSize);
  signed.set(padded);
  const view = new DataView(signed.buffer);
  view.setUint32(padded.length, certificateLength, true);
  view.setUint16(padded.length + 4, WIN_CERT_REVISION_2_0, true);
  view.setUint16(padded.length + 6, WIN_CERT_TYPE_PKCS_SIGNED_DATA, true);
  signed.set(signature, padded.length + WIN_CERTIFICATE_HEADER);
  view.setUint32(fields.certificateEntryOffset, padded.length, true);
  view.setUint32(fields.certificateEntryOffset + 4, tableSize, true);
  view.setUint32(fields.checksumOffset, 0, true);
  view.setUint32(fields.checksumOffset, peChecksum(signed, fields.checksumOffset), true);
  return signed;
}
