import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';

/** One member for the test tar writer. `type` is the raw typeflag (`0`, `2`, `5`, `x`, `L`, ...). */
export interface TarSpec {
  readonly name: string;
  readonly type?: string;
  readonly content?: Uint8Array | string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly uname?: string;
  readonly gname?: string;
  readonly mtime?: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Written as a pax `x` header in front of the member. */
  readonly pax?: Readonly<Record<string, string | Uint8Array>>;
  /** Overrides the computed header checksum. */
  readonly checksum?: number;
  /** Writes the size field in GNU base-256 form. */
  readonly base256Size?: boolean;
}

const encoder = new TextEncoder();
const bytesOf = (value: Uint8Array | string) =>
  typeof value === 'string' ? encoder.encode(value) : value;

function writeText(block: Uint8Array, offset: number, length: number, value: string): void {
  block.set(encoder.encode(value).subarray(0, length), offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeText(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function paxRecords(records: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  const parts = Object.entries(records).map(([key, value]) => {
    const body = Buffer.concat([encoder.encode(` ${key}=`), bytesOf(value), encoder.encode('\n')]);
    let length = body.length + 1;
    while (String(length).length + body.length !== length) {
      length = String(length).length + body.length;
    }
    return Buffer.concat([encoder.encode(String(length)), body]);
  });
  return Buffer.concat(parts);
}

function header(spec: TarSpec, size: number): Uint8Array {
  const block = new Uint8Array(512);
  writeText(block, 0, 100, spec.name);
  writeOctal(block, 100, 8, spec.mode ?? (spec.type === '5' ? 0o755 : 0o644));
  writeOctal(block, 108, 8, spec.uid ?? 0);
  writeOctal(block, 116, 8, spec.gid ?? 0);
  if (spec.base256Size === true) {
    block[124] = 0x80;
    new DataView(block.buffer).setUint32(132, size);
  } else {
    writeOctal(block, 124, 12, size);
  }
  writeOctal(block, 136, 12, spec.mtime ?? 0);
  writeText(block, 156, 1, spec.type ?? '0');
  writeText(block, 157, 100, spec.linkname ?? '');
  writeText(block, 257, 8, 'ustar\x0000');
  writeText(block, 265, 32, spec.uname ?? 'root');
  writeText(block, 297, 32, spec.gname ?? 'root');
  writeOctal(block, 329, 8, spec.devmajor ?? 0);
  writeOctal(block, 337, 8, spec.devminor ?? 0);
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  writeText(block, 148, 8, `${(spec.checksum ?? sum).toString(8).padStart(6, '0')}\0 `);
  return block;
}

function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
  out.set(bytes);
  return out;
}

/** A tar archive; `end` appends the two zero blocks (the control part of an .apk has none). */
export function tarBytes(specs: readonly TarSpec[], end = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const spec of specs) {
    if (spec.pax !== undefined) {
      const records = paxRecords(spec.pax);
      parts.push(header({ name: 'PaxHeaders/x', type: 'x' }, records.length), padded(records));
    }
    const content = bytesOf(spec.content ?? '');
    parts.push(header(spec, content.length), padded(content));
  }
  if (end) {
    parts.push(new Uint8Array(1024));
  }
  return Buffer.concat(parts);
}

/** A `security.capability` value (vfs_cap_data revision 2, effective) granting `bits`. */
export function capabilityXattr(bits: readonly number[]): Uint8Array {
  const value = Buffer.alloc(20);
  value.writeUInt32LE(0x02000001, 0);
  for (const bit of bits) {
    const offset = bit < 32 ? 4 : 12;
    value.writeUInt32LE((value.readUInt32LE(offset) | (1 << (bit % 32))) >>> 0, offset);
  }
  return value;
}

let cachedKey: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
let otherKey: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** A throwaway RSA key pair for signing test packages (and a second one, for wrong-key cases). */
export function testSigningKey(which: 'main' | 'other' = 'main'): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  if (which === 'other') {
    otherKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return otherKey;
  }
  cachedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return cachedKey;
}

export interface ApkSpec {
  readonly pkginfo?: string;
  readonly controlFiles?: readonly TarSpec[];
  readonly data: readonly TarSpec[];
  /** Add `APK-TOOLS.checksum.SHA1` pax records to regular files and symlinks (default true). */
  readonly checksums?: boolean;
  /** Zero bytes appended to the data archive after its end blocks. */
  readonly dataPadding?: number;
  /** `auto` computes it, `omit` leaves it out, a string is written as is. */
  readonly datahash?: 'auto' | 'omit' | string;
  readonly signers?: readonly {
    readonly keyName: string;
    readonly scheme?: 'RSA' | 'RSA256' | 'RSA512';
    readonly privateKey: KeyObject;
  }[];
}

export const BASIC_PKGINFO = 'pkgname = demo\npkgver = 1.0-r0\narch = x86_64\nsize = 10\n';

const SCHEME_HASH = { RSA: 'sha1', RSA256: 'sha256', RSA512: 'sha512' } as const;

function withChecksums(specs: readonly TarSpec[]): TarSpec[] {
  return specs.map((spec) => {
    const type = spec.type ?? '0';
    const subject =
      type === '0'
        ? bytesOf(spec.content ?? '')
        : type === '2'
          ? bytesOf(spec.linkname ?? '')
          : undefined;
    if (subject === undefined) {
      return spec;
    }
    const sha1 = createHash('sha1').update(subject).digest('hex');
    return { ...spec, pax: { 'APK-TOOLS.checksum.SHA1': sha1, ...spec.pax } };
  });
}

/** A v2 .apk: signature member(s), control member, data member, as abuild lays them out. */
export function buildApk(spec: ApkSpec): Uint8Array {
  const archive = tarBytes(spec.checksums === false ? spec.data : withChecksums(spec.data));
  const data = gzipSync(Buffer.concat([archive, new Uint8Array(spec.dataPadding ?? 0)]));
  const datahash =
    spec.datahash === undefined || spec.datahash === 'auto'
      ? createHash('sha256').update(data).digest('hex')
      : spec.datahash;
  const pkginfo = `${spec.pkginfo ?? BASIC_PKGINFO}${datahash === 'omit' ? '' : `datahash = ${datahash}\n`}`;
  const control = gzipSync(
    tarBytes([{ name: '.PKGINFO', content: pkginfo }, ...(spec.controlFiles ?? [])], false),
  );
  const signatures = (spec.signers ?? []).map(({ keyName, scheme = 'RSA256', privateKey }) => {
    const signed = datahash === 'omit' ? Buffer.concat([control, data]) : control;
    const signature = sign(SCHEME_HASH[scheme], signed, privateKey);
    return gzipSync(tarBytes([{ name: `.SIGN.${scheme}.${keyName}`, content: signature }], false));
  });
  return Buffer.concat([...signatures, control, data]);
}

/** An APKINDEX.tar.gz signed by `signers`. */
export function buildApkIndex(
  text: string,
  signers: readonly { readonly keyName: string; readonly privateKey: KeyObject }[],
): Uint8Array {
  const index = gzipSync(
    tarBytes([
      { name: 'DESCRIPTION', content: 'test index' },
      { name: 'APKINDEX', content: text },
    ]),
  );
  const signatures = signers.map(({ keyName, privateKey }) =>
    gzipSync(
      tarBytes(
        [{ name: `.SIGN.RSA256.${keyName}`, content: sign('sha256', index, privateKey) }],
        false,
      ),
    ),
  );
  return Buffer.concat([...signatures, index]);
}

/**
 * The start of an apk-tools 3 (ADB) file: the `ADB.` header with its schema (`pckg`, `indx`)
 * and one ADB block of zeros, stored plain (`.`), deflated (`d`), or deflated behind an explicit
 * compression spec (`c`: algorithm 1, level 9).
 */
export function adbFile(schema: 'pckg' | 'indx', compression: '.' | 'd' | 'c' = 'd'): Uint8Array {
  const payload = new Uint8Array(64);
  const block = Buffer.alloc(8);
  block.writeUInt32LE(4 + payload.length, 0);
  const plain = Buffer.concat([Buffer.from(`ADB.${schema}`, 'latin1'), block, payload]);
  if (compression === '.') {
    return plain;
  }
  const spec = compression === 'c' ? Buffer.from([1, 9]) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from(`ADB${compression}`, 'latin1'), spec, deflateRawSync(plain)]);
}
