import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { codecFromName, decompressStream, detectCodec } from '../compress/index.ts';
import type { Codec } from '../compress/index.ts';
import { UserError } from '../core/errors.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { MAX_COMPRESSED_BYTES, MAX_EXPANDED_BYTES } from './limits.ts';
import { MetadataMissingError, malformedMetadata, verifyError } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import type { RepomdData } from './repomd-parse.ts';
import { destroyQuietly, isMissingFile, joinUrl } from './source.ts';
import type { RepoSource } from './source.ts';

const SUPPORTED: ReadonlyMap<Codec, string> = new Map([
  ['none', 'plain XML'],
  ['gzip', 'gzip'],
  ['bzip2', 'bzip2'],
  ['xz', 'xz'],
  ['zstd', 'zstd'],
]);

export const SUPPORTED_FORMATS = `XML, plain or compressed with ${[...SUPPORTED.values()].slice(1).join(', ')}`;

/** Enough bytes for every magic number {@link detectCodec} knows. */
const HEAD_BYTES = 16;

export function metadataContext(
  repository: string,
  source: RepoSource,
  entry: RepomdData,
  kind: string,
): MetadataContext {
  return { repository, file: joinUrl(source.url, entry.location), kind };
}

/** The codec a metadata file's name gives; zchunk and anything else unknown is refused. */
export function metadataCodec(entry: RepomdData, context: MetadataContext): Codec {
  if (entry.locationBase !== undefined) {
    throw malformedMetadata(
      context,
      'metadata stored elsewhere (xml:base in repomd.xml) is not supported',
    );
  }
  if (entry.location.endsWith('.zck')) {
    throw malformedMetadata(
      context,
      `zchunk metadata is not supported (supported: ${SUPPORTED_FORMATS})`,
    );
  }
  const codec = codecFromName(entry.location) ?? 'none';
  if (!SUPPORTED.has(codec)) {
    throw malformedMetadata(
      context,
      `${codec} metadata is not supported (supported: ${SUPPORTED_FORMATS})`,
    );
  }
  return codec;
}

/**
 * Passes the stored bytes through while hashing and counting them, and checks the codec's magic
 * number. Fails at the end unless size and checksum are what repomd.xml says, so that nothing
 * read from a damaged or substituted file is ever accepted.
 */
async function* verifiedBytes(
  stream: NodeJS.ReadableStream,
  entry: RepomdData,
  codec: Codec,
  context: MetadataContext,
): AsyncGenerator<Buffer> {
  const hash = createHash(entry.checksum.type);
  const limit = entry.size ?? MAX_COMPRESSED_BYTES;
  let size = 0;
  let head: Buffer | undefined = Buffer.alloc(0);
  const checkMagic = (bytes: Buffer) => {
    const found = detectCodec(bytes);
    if (found !== codec) {
      throw malformedMetadata(
        context,
        `is named as ${SUPPORTED.get(codec)} but its content is ${found}`,
      );
    }
  };
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        throw entry.size === undefined
          ? malformedMetadata(context, `is larger than ${limit} bytes`)
          : verifyError(context, `is larger than the ${limit} bytes repomd.xml declares`);
      }
      hash.update(bytes);
      if (head !== undefined) {
        head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES)]);
        if (head.length >= HEAD_BYTES) {
          checkMagic(head);
          head = undefined;
        }
      }
      yield bytes;
    }
  } finally {
    destroyQuietly(stream);
  }
  if (head !== undefined) checkMagic(head);
  if (entry.size !== undefined && size !== entry.size) {
    throw verifyError(
      context,
      `is truncated: ${size} of the ${entry.size} bytes repomd.xml declares`,
    );
  }
  const digest = hash.digest('hex');
  if (digest !== entry.checksum.value) {
    throw verifyError(
      context,
      `${entry.checksum.type} checksum mismatch: repomd.xml says ${entry.checksum.value}, the file has ${digest}`,
    );
  }
}

async function openStored(
  source: RepoSource,
  entry: RepomdData,
  context: MetadataContext,
): Promise<NodeJS.ReadableStream> {
  try {
    return await source.open(entry.location);
  } catch (error) {
    if (isMissingFile(error)) throw new MetadataMissingError(context, { cause: error });
    if (error instanceof UserError) throw error;
    throw malformedMetadata(context, `cannot be opened: ${String(error)}`, {
      cause: error,
      hint: 'check that the repository can be reached and its files read',
    });
  }
}

/** Reads a whole metadata file once, only to check its size and checksum. */
export async function verifyMetadataFile(
  source: RepoSource,
  entry: RepomdData,
  context: MetadataContext,
): Promise<void> {
  const codec = metadataCodec(entry, context);
  for await (const _ of verifiedBytes(
    await openStored(source, entry, context),
    entry,
    codec,
    context,
  )) {
    // Hashing happens as the bytes pass.
  }
}

/**
 * Streams a metadata file decompressed into `parse`, verifying the stored bytes as they pass.
 * The records come out before the end is verified: a caller must finish the iteration (which
 * throws on a mismatch) before it trusts any of them.
 */
export async function* readMetadata<T>(
  source: RepoSource,
  entry: RepomdData,
  context: MetadataContext,
  parse: (xml: AsyncIterable<Uint8Array>, maxBytes: number) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const codec = metadataCodec(entry, context);
  const stored = await openStored(source, entry, context);
  const xml = decompressStream(
    Readable.from(verifiedBytes(stored, entry, codec, context), { objectMode: false }),
    codec,
  );
  try {
    yield* parse(xml, entry.openSize ?? MAX_EXPANDED_BYTES);
  } catch (error) {
    // A damaged file often breaks the decompressor before its checksum can be compared; say
    // that the file is not the one repomd.xml describes, when that is the reason.
    if (!(error instanceof PackageVerifyError)) await rethrowMismatch(source, entry, context);
    throw error;
  } finally {
    xml.destroy();
  }
}

async function rethrowMismatch(
  source: RepoSource,
  entry: RepomdData,
  context: MetadataContext,
): Promise<void> {
  try {
    await verifyMetadataFile(source, entry, context);
  } catch (error) {
    if (error instanceof PackageVerifyError) throw error;
  }
}
