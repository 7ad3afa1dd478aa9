/**
 * The lead: the first 96 bytes of an RPM file. Only its magic and signature type still mean
 * anything; the name, architecture and OS numbers it carries are historical and rpm ignores
 * them (v6 packages write zeros there and keep the version byte at 4 for old readers).
 *
 * Layout: magic `ed ab ee db`, major and minor format version (1 byte each), type (2 bytes,
 * 0 binary, 1 source), architecture number (2), name (66 bytes, NUL-padded), OS number (2),
 * signature type (2, always 5: "a header-structured signature follows"), 16 reserved bytes.
 */

import { malformedRpm, type RpmContext } from './context.ts';

export const LEAD_SIZE = 96;
const LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb] as const;
const HEADER_SIGNATURE_TYPE = 5;

export interface RpmLead {
  readonly major: number;
  readonly minor: number;
  /** 0 binary package, 1 source package. */
  readonly type: number;
  /** The name field, historical: rpm does not use it. */
  readonly name: string;
}

export function parseLead(bytes: Uint8Array, context: RpmContext): RpmLead {
  if (bytes.length < LEAD_SIZE) {
    throw malformedRpm(context, 'not an RPM package: the file is shorter than the 96-byte lead');
  }
  if (!LEAD_MAGIC.every((byte, index) => bytes[index] === byte)) {
    throw malformedRpm(context, 'not an RPM package: the lead magic ed ab ee db is missing');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, LEAD_SIZE);
  const major = view.getUint8(4);
  const minor = view.getUint8(5);
  if (major !== 3 && major !== 4) {
    throw malformedRpm(context, `unsupported RPM lead version ${major}.${minor}`);
  }
  const signatureType = view.getUint16(78);
  if (signatureType !== HEADER_SIGNATURE_TYPE) {
    throw malformedRpm(context, `unsupported RPM signature type ${signatureType} in the lead`);
  }
  const nameField = bytes.subarray(10, 76);
  const end = nameField.indexOf(0);
  const name = new TextDecoder('utf-8').decode(end < 0 ? nameField : nameField.subarray(0, end));
  return { major, minor, type: view.getUint16(6), name };
}
