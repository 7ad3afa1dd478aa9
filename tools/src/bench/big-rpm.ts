import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Tag } from '../rpm/tags.ts';
import { buildRpm, cpioArchive, packageTags, str } from '../rpm/test-builder.ts';

const CHUNK = 1 << 20;
const NAME = './srv/blob';

const pad4 = (length: number) => Buffer.alloc((4 - (length % 4)) % 4);

/** The newc header of a regular file of `size` bytes, padded (it starts the archive). */
function newcHead(size: number): Uint8Array {
  const fields = [1, 0o100644, 0, 0, 1, 1_600_000_000, size, 0, 0, 0, 0, NAME.length + 1, 0];
  const head = `070701${fields.map((value) => value.toString(16).padStart(8, '0')).join('')}${NAME}\0`;
  return Buffer.concat([Buffer.from(head, 'latin1'), pad4(head.length)]);
}

async function* zeros(size: number): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(CHUNK);
  for (let left = size; left > 0; left -= CHUNK) yield chunk.subarray(0, Math.min(CHUNK, left));
}

/** The payload: one cpio member of `size` zero bytes and the trailer, produced 1 MiB at a time. */
async function* payload(size: number): AsyncGenerator<Uint8Array> {
  yield newcHead(size);
  yield* zeros(size);
  yield pad4(size);
  yield cpioArchive();
}

/**
 * An unsigned RPM, `bigdata-1.0-1.noarch`, holding one file of `size` zero bytes at /srv/blob
 * (its SHA-256 in FILEDIGESTS) in a gzip payload, written without ever holding the file in
 * memory. Its headers carry a SHA-256 header digest but no payload digest.
 */
export async function writeBigRpm(dir: string, size: number): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of zeros(size)) digest.update(chunk);
  const header = packageTags(
    [{ path: '/srv/blob', size, digest: digest.digest('hex') }],
    [
      [Tag.NAME, str('bigdata')],
      [Tag.SOURCERPM, str('bigdata-1.0-1.src.rpm')],
      [Tag.PAYLOADCOMPRESSOR, str('gzip')],
    ],
  );
  const file = join(dir, 'bigdata-1.0-1.noarch.rpm');
  await writeFile(file, buildRpm({ header }));
  await pipeline(
    Readable.from(payload(size)),
    createGzip({ level: 1 }),
    createWriteStream(file, { flags: 'a' }),
  );
  return file;
}
