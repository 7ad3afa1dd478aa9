import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createRequire } from 'node:module';
import type * as ZstdNapi from 'zstd-napi';
import type { Codec } from './codec.ts';
import { filterThrough } from '../core/process.ts';

const require = createRequire(import.meta.url);

// The native codecs are loaded when a stream of theirs is first met, not at start-up.
const lzma = () =>
  require('lzma-native') as {
    createDecompressor(options?: { threads?: number }): Transform;
    createStream(kind: 'aloneDecoder', options?: Record<string, unknown>): Transform;
  };
const bunzip2 = () => (require('unbzip2-stream') as () => NodeJS.ReadWriteStream)();
const zstd = () => require('zstd-napi') as typeof ZstdNapi;

/**
 * A transform that decompresses one stream of `codec` in this process. Multi-member gzip is
 * read as one stream. (xz and lzma are faster through `decompressStream`, which uses the host's
 * liblzma in an `xz` process.)
 */
export function decompressor(codec: Codec): Transform {
  switch (codec) {
    case 'none':
      return new Transform({ transform: (chunk, _encoding, done) => done(null, chunk) });
    case 'gzip':
      return createGunzip();
    case 'bzip2':
      return bzip2Transform();
    case 'xz':
      return lzma().createDecompressor({ threads: 1 });
    case 'lzma':
      return lzma().createStream('aloneDecoder');
    case 'zstd':
      return new (zstd().DecompressStream)();
  }
}

/** Decompresses a readable stream; the result is a readable of the plain bytes. */
export function decompressStream(
  source: Readable | AsyncIterable<Uint8Array>,
  codec: Codec,
): Readable {
  const input = source instanceof Readable ? source : Readable.from(source);
  if (codec === 'xz' || codec === 'lzma') {
    // The system liblzma behind xz(1) is several times faster than the bundled one, and the
    // decompression runs on another core while this one parses.
    return filterThrough(
      [
        'xz',
        '--decompress',
        '--stdout',
        `--format=${codec === 'xz' ? 'xz' : 'lzma'}`,
        '--threads=1',
      ],
      input,
    ) as Readable;
  }
  const output = decompressor(codec);
  pipeline(input, output).catch((error: unknown) => output.destroy(error as Error));
  return output;
}

/** Decompresses a whole buffer, for small inputs such as signatures and indexes. */
export async function decompressBuffer(data: Uint8Array, codec: Codec): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of decompressStream(Readable.from([Buffer.from(data)]), codec)) {
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** unbzip2-stream is a classic through-stream; this adapts it to a Transform. */
function bzip2Transform(): Transform {
  const inner = bunzip2();
  const outer = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inner.write(chunk);
      done();
    },
    flush(done) {
      inner.once('end', () => done());
      inner.end();
    },
  });
  inner.on('data', (data: Buffer) => outer.push(data));
  inner.on('error', (error: Error) =>
    // Its bit reader runs off the end of data that stops inside a block, and fails there with
    // a TypeError (reading the missing next buffer); say what it means.
    outer.destroy(
      error instanceof TypeError ? new Error('the bzip2 data ends inside a block') : error,
    ),
  );
  return outer;
}
