import { createHash } from 'node:crypto';

/**
 * Just enough OpenPGP (RFC 9580) to pin a published public key by fingerprint: remove the
 * ASCII armour, read the first packet, and hash the primary key packet as v4 or v6 keys do.
 */
export function openpgpFingerprint(keyFile: Uint8Array): string {
  const packets = isArmored(keyFile) ? dearmor(new TextDecoder().decode(keyFile)) : keyFile;
  const { tag, body } = firstPacket(packets);
  if (tag !== 6) throw new Error(`the first OpenPGP packet is tag ${tag}, not a public key (6)`);
  const version = body[0];
  if (version === 4) {
    const prefix = Uint8Array.of(0x99, (body.length >> 8) & 0xff, body.length & 0xff);
    return hex(createHash('sha1').update(prefix).update(body).digest());
  }
  if (version === 6) {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, body.length);
    return hex(
      createHash('sha256').update(Uint8Array.of(0x9b)).update(length).update(body).digest(),
    );
  }
  throw new Error(`OpenPGP public key version ${String(version)} is not supported (4 and 6 are)`);
}

function isArmored(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(0, 64)).includes('-----BEGIN PGP');
}

function dearmor(text: string): Uint8Array {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((line) => line.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK'));
  if (begin < 0) throw new Error('no "BEGIN PGP PUBLIC KEY BLOCK" armour');
  let index = begin + 1;
  while (index < lines.length && lines[index]?.trim() !== '') index++;
  const data: string[] = [];
  for (index++; index < lines.length; index++) {
    const line = lines[index]?.trim() ?? '';
    if (line.startsWith('=') || line.startsWith('-----END')) break;
    data.push(line);
  }
  return Uint8Array.from(Buffer.from(data.join(''), 'base64'));
}

function firstPacket(bytes: Uint8Array): { tag: number; body: Uint8Array } {
  const header = bytes[0];
  if (header === undefined || (header & 0x80) === 0) throw new Error('not an OpenPGP packet');
  if (header & 0x40) {
    const tag = header & 0x3f;
    const first = bytes[1] ?? 0;
    if (first < 192) return { tag, body: bytes.subarray(2, 2 + first) };
    if (first < 224) {
      const length = ((first - 192) << 8) + (bytes[2] ?? 0) + 192;
      return { tag, body: bytes.subarray(3, 3 + length) };
    }
    if (first === 255) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + 2, 4).getUint32(0);
      return { tag, body: bytes.subarray(6, 6 + length) };
    }
    throw new Error('a partial-length public key packet is not valid');
  }
  const tag = (header >> 2) & 0x0f;
  const lengthType = header & 0x03;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (lengthType === 0) return { tag, body: bytes.subarray(2, 2 + view.getUint8(1)) };
  if (lengthType === 1) return { tag, body: bytes.subarray(3, 3 + view.getUint16(1)) };
  if (lengthType === 2) return { tag, body: bytes.subarray(5, 5 + view.getUint32(1)) };
  throw new Error('an indeterminate-length public key packet is not supported');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
