/**
 * Reading the payload: the bytes after the main header, decompressed with the codec the header
 * names, with running digests over both the compressed bytes (PAYLOADDIGEST and friends) and
 * the uncompressed cpio archive (the ALT digests).
 *
 * Payload digest tags of the main header: PAYLOADDIGEST (5092) and PAYLOADDIGESTALT (5097),
 * one hex string each, algorithm in PAYLOADDIGESTALGO (5093, SHA-256 when absent); v6 adds
 * PAYLOADSHA512 (5121/5122) and PAYLOADSHA3_256 (5123/5124). v6 also records the sizes,
 * PAYLOADSIZE (5112) compressed and PAYLOADSIZEALT (5113) uncompressed.
 */

import { createReadStream } from 'node:fs';
import type { Hash } from 'node:crypto';
import { decompressStream } from '../compress/index.ts';
import { messageOf, UserError } from '../core/errors.ts';
import { malformedRpm } from './context.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { digestAlgorithmOf, newHash } from './digests.ts';
import { digestCheck, type RpmDigestCheck } from './signature-digests.ts';
import type { RpmHeaders } from './package-headers.ts';
import { Tag } from './tags.ts';

export interface PayloadDigestCheck {
  /** A stable name for reports: `payload-sha256`, `payload-sha256-uncompressed`, ... */
  readonly name: string;
  readonly algorithm: string;
  readonly expected: string;
  readonly compressed: boolean;
}

/** The payload digests the main header declares. */
export function payloadDigestChecks(headers: RpmHeaders): PayloadDigestCheck[] {
  const { header, context } = headers;
  const checks: PayloadDigestCheck[] = [];
  const algorithmNumber = header.number(Tag.PAYLOADDIGESTALGO) ?? 8;
  const add = (tag: number, algorithm: string | undefined, compressed: boolean) => {
    const value = header.strings(tag)?.[0];
    if (value === undefined) return;
    if (algorithm === undefined) {
      throw malformedRpm(context, `unsupported payload digest algorithm ${algorithmNumber}`);
    }
    const name = `payload-${algorithm}${compressed ? '' : '-uncompressed'}`;
    checks.push({ name, algorithm, expected: value.toLowerCase(), compressed });
  };
  const legacy = digestAlgorithmOf(algorithmNumber);
  add(Tag.PAYLOADDIGEST, legacy, true);
  add(Tag.PAYLOADDIGESTALT, legacy, false);
  add(Tag.PAYLOADSHA512, 'sha512', true);
  add(Tag.PAYLOADSHA512ALT, 'sha512', false);
  add(Tag.PAYLOADSHA3_256, 'sha3-256', true);
  add(Tag.PAYLOADSHA3_256ALT, 'sha3-256', false);
  return checks;
}

export interface PayloadTotals {
  compressedBytes: number;
  uncompressedBytes: number;
}

export interface OpenPayload {
  /** The decompressed cpio archive. */
  readonly source: ByteReader;
  readonly totals: PayloadTotals;
  /**
   * The declared payload digests and sizes (PAYLOADSIZE, and PAYLOADSIZEALT when decompressing)
   * against what was read; valid once the source has been read to its end.
   */
  checks(): RpmDigestCheck[];
  close(): Promise<void>;
}

async function* tap(
  chunks: AsyncIterable<Uint8Array>,
  hashes: readonly Hash[],
  count: (length: number) => void,
  observe?: (chunk: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    for (const hash of hashes) hash.update(chunk);
    count(chunk.length);
    observe?.(chunk);
    yield chunk;
  }
}

export interface OpenPayloadOptions {
  /** Decompress (the default); without it the source yields the compressed bytes. */
  readonly decompress?: boolean;
  /** Sees every compressed byte, in order. */
  readonly observeCompressed?: (chunk: Uint8Array) => void;
}

/** Opens the payload of `headers.file` for one pass, computing every declared payload digest. */
export function openPayload(
  headers: RpmHeaders,
  checks: readonly PayloadDigestCheck[],
  options: OpenPayloadOptions = {},
): OpenPayload {
  const { context, layout } = headers;
  const hashes = checks.map((check) => newHash(check.algorithm as 'sha256'));
  const compressedHashes = hashes.filter((_, index) => checks[index]?.compressed === true);
  const plainHashes = hashes.filter((_, index) => checks[index]?.compressed === false);
  const totals: PayloadTotals = { compressedBytes: 0, uncompressedBytes: 0 };
  const file = createReadStream(headers.file, { start: layout.payload.offset });
  const observe = options.observeCompressed;
  const compressed = tap(
    file,
    compressedHashes,
    (length) => (totals.compressedBytes += length),
    observe,
  );
  const decompress = options.decompress ?? true;
  const plain = decompress ? decompressStream(compressed, headers.payload.codec) : undefined;
  const output =
    plain === undefined
      ? compressed
      : tap(plain, plainHashes, (length) => (totals.uncompressedBytes += length));
  async function* guarded(): AsyncGenerator<Uint8Array> {
    try {
      yield* output;
    } catch (error) {
      if (error instanceof UserError) throw error;
      const message = messageOf(error);
      const what =
        plain === undefined
          ? 'cannot read the payload'
          : `the ${headers.payload.codec} payload is corrupt or truncated`;
      throw malformedRpm(context, `${what}: ${message}`, error);
    }
  }
  const source = new ByteReader(guarded());
  let digests: string[] | undefined;
  return {
    source,
    totals,
    checks() {
      digests ??= hashes.map((hash) => hash.digest('hex'));
      const out = checks.map((check, index) =>
        digestCheck(check.name, check.expected, digests?.[index] ?? ''),
      );
      const size = headers.header.number(Tag.PAYLOADSIZE);
      if (size !== undefined) {
        out.push(digestCheck('payload-size', String(size), String(totals.compressedBytes)));
      }
      const sizeAlt = headers.header.number(Tag.PAYLOADSIZEALT);
      if (sizeAlt !== undefined && plain !== undefined) {
        out.push(
          digestCheck(
            'payload-size-uncompressed',
            String(sizeAlt),
            String(totals.uncompressedBytes),
          ),
        );
      }
      return out;
    },
    async close() {
      await source.close();
      plain?.destroy();
      file.destroy();
    },
  };
}
