import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

const BLOCK = 512;
const CHUNK = 1 << 20;

function tarHeader(name: string, type: '0' | '5', size: number, mode: number): Uint8Array {
  const block = Buffer.alloc(BLOCK);
  const text = (offset: number, length: number, value: string) =>
    block.write(value.slice(0, length), offset, 'latin1');
  const octal = (offset: number, length: number, value: number) =>
    text(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  text(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1_600_000_000);
  text(156, 1, type);
  text(257, 8, 'ustar\x0000');
  text(265, 32, 'root');
  text(297, 32, 'root');
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  text(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function tarMember(name: string, content: Uint8Array): Uint8Array {
  const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
  return Buffer.concat([
    tarHeader(name, '0', content.length, 0o644),
    content,
    Buffer.alloc(padding),
  ]);
}

/** The data archive: `srv/` and `srv/blob`, `size` zero bytes produced 1 MiB at a time. */
async function* dataArchive(size: number): AsyncIterable<Uint8Array> {
  yield tarHeader('srv/', '5', 0, 0o755);
  yield tarHeader('srv/blob', '0', size, 0o644);
  const zeros = Buffer.alloc(CHUNK);
  for (let left = size; left > 0; left -= CHUNK) yield zeros.subarray(0, Math.min(CHUNK, left));
  yield Buffer.alloc(((BLOCK - (size % BLOCK)) % BLOCK) + 2 * BLOCK);
}

export interface BigApk {
  readonly file: string;
  /** The public key's PEM, trusted under `keyName`. */
  readonly publicKey: string;
  readonly keyName: string;
}

/**
 * A signed v2 .apk (signature, control and data gzip members, as abuild lays them out) holding
 * one file of `size` zero bytes at /srv/blob, written without ever holding the file in memory.
 */
export async function writeBigApk(dir: string, size: number): Promise<BigApk> {
  const dataFile = join(dir, 'data.gz');
  const digest = createHash('sha256');
  const out = createWriteStream(dataFile);
  const gzip = createGzip({ level: 1 });
  gzip.on('data', (chunk: Buffer) => digest.update(chunk));
  await pipeline(Readable.from(dataArchive(size)), gzip, out);
  const datahash = digest.digest('hex');

  const pkginfo = [
    'pkgname = bigdata',
    'pkgver = 1.0-r0',
    'arch = x86_64',
    `size = ${size}`,
    `datahash = ${datahash}`,
    '',
  ].join('\n');
  const control = gzipSync(tarMember('.PKGINFO', Buffer.from(pkginfo)));
  const keyName = 'bench.rsa.pub';
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = gzipSync(
    tarMember(`.SIGN.RSA256.${keyName}`, sign('sha256', control, keys.privateKey)),
  );
  const file = join(dir, 'bigdata-1.0-r0.apk');
  const apk = createWriteStream(file);
  apk.write(signature);
  apk.write(control);
  await pipeline(createReadStream(dataFile), apk);
  await rm(dataFile);
  return {
    file,
    keyName,
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
