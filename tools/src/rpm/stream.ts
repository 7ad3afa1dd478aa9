/**
 * Streaming extraction: the payload is decompressed and its cpio members are matched to the
 * header's file list, one member at a time. A file's content comes whole when it is small, in
 * chunks read as they are asked for when it is not (see FileContent): memory does not grow with
 * the size of a file.
 *
 * Order of what is yielded: members in payload order; the members of a hardlink set after the
 * set's content carrier (see files.ts), which is yielded as soon as the content arrives;
 * ghost files, which the payload does not hold, at the end without content.
 *
 * Checks: each file's content against its header digest (a mismatch is a PackageVerifyError
 * naming the path): before it is yielded when it comes whole, after its last chunk when it
 * streams, failing the stream; cpio types and sizes against the header; symlink
 * targets against FILELINKTOS; every non-ghost header file present exactly once; the header
 * digests up front; the payload digests and sizes once the archive has been read. A failure at
 * the end comes after entries have been yielded: consumers must treat the iteration as a whole.
 */

import { CONTENT_CHUNK_BYTES, ContentStream, settleContent } from '../packages/content.ts';
import type { ContentCheck } from '../packages/content.ts';
import type { FileContent, PackageEntry, StreamedEntry } from '../packages/model.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { malformedRpm, problemOf } from './context.ts';
import { CpioReader, type CpioMember } from './cpio.ts';
import { newHash } from './digests.ts';
import { readRpmFiles, type RpmFile } from './files.ts';
import { assertDigests, checkHeaderDigests } from './signature-digests.ts';
import { readRpmHeaders, type RpmHeaders } from './package-headers.ts';
import { normaliseEntryPath } from './paths.ts';
import { openPayload, payloadDigestChecks, type OpenPayload } from './payload.ts';

export interface StreamRpmOptions {
  /** Largest file; a larger one is refused. Default 16 GiB. Contents stream in chunks. */
  readonly maxFileSize?: number;
  /** The headers of the same file, when already read. */
  readonly headers?: RpmHeaders;
}

const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024 * 1024;
const MAX_LINK_TARGET = 4096;
/** Bytes tolerated after the cpio trailer (rpm writes none; some writers pad to a block). */
const MAX_TRAILING_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Extraction {
  readonly #headers: RpmHeaders;
  readonly #files: readonly RpmFile[];
  readonly #byPath: ReadonlyMap<string, number>;
  readonly #reader: CpioReader;
  readonly #maxFileSize: number;
  readonly #seen: Uint8Array;
  /** Hardlink sets (by carrier index) whose content has been yielded. */
  readonly #linked = new Set<number>();
  /** Members waiting for their set's content, by carrier index. */
  readonly #waiting = new Map<number, number[]>();

  constructor(headers: RpmHeaders, payload: OpenPayload, maxFileSize: number) {
    const list = readRpmFiles(headers);
    this.#headers = headers;
    this.#files = list.files;
    this.#byPath = list.byPath;
    this.#reader = new CpioReader(payload.source, headers.context);
    this.#maxFileSize = maxFileSize;
    this.#seen = new Uint8Array(list.files.length);
  }

  #bad(message: string): Error {
    return malformedRpm(this.#headers.context, message);
  }

  async *run(): AsyncGenerator<StreamedEntry> {
    for (;;) {
      const member = await this.#reader.next();
      if (member.kind === 'trailer') break;
      yield* this.#member(member);
    }
    for (const [carrier] of this.#waiting) {
      throw this.#bad(
        `the payload holds no content for the hardlinks of "${this.#files[carrier]?.entry.path}"`,
      );
    }
    for (const file of this.#files) {
      if (this.#seen[file.index] === 1) continue;
      if (!file.entry.flags.includes('ghost'))
        throw this.#bad(`"${file.entry.path}" is missing from the payload`);
      yield { entry: file.entry };
    }
  }

  #fileOf(member: Exclude<CpioMember, { kind: 'trailer' }>): RpmFile {
    const index =
      member.kind === 'stripped'
        ? member.index
        : this.#byPath.get(normaliseEntryPath(member.name, this.#headers.context));
    const file = index === undefined ? undefined : this.#files[index];
    if (file === undefined) {
      const name = member.kind === 'stripped' ? `file index ${member.index}` : `"${member.name}"`;
      throw this.#bad(`the payload holds ${name}, which the header does not list`);
    }
    if (this.#seen[file.index] === 1)
      throw this.#bad(`the payload holds "${file.entry.path}" twice`);
    this.#seen[file.index] = 1;
    return file;
  }

  /** Data size of a stripped member: hardlinks other than the carrier hold none. */
  #strippedSize(file: RpmFile): number {
    const { type } = file.entry;
    if (file.linkSet !== undefined)
      return file.linkSet[file.linkSet.length - 1] === file.index ? file.declaredSize : 0;
    return type === 'file' || type === 'symlink' ? file.declaredSize : 0;
  }

  async *#member(member: Exclude<CpioMember, { kind: 'trailer' }>): AsyncGenerator<StreamedEntry> {
    const file = this.#fileOf(member);
    const { entry } = file;
    const size = member.kind === 'newc' ? member.size : this.#strippedSize(file);
    const checksum = member.kind === 'newc' ? member.checksum : undefined;
    if (member.kind === 'newc' && (member.mode & 0o170000) !== (file.fileMode & 0o170000)) {
      throw this.#bad(`"${entry.path}" has a different file type in the payload and in the header`);
    }
    if (entry.flags.includes('ghost')) {
      await this.#reader.readData(size, () => undefined, checksum);
      yield { entry };
    } else if (file.linkSet !== undefined) {
      yield* this.#linkMember(file, file.linkSet, size, checksum);
    } else if (entry.type === 'file') {
      if (size !== file.declaredSize)
        throw this.#bad(
          `"${entry.path}" has ${size} bytes in the payload, ${file.declaredSize} in the header`,
        );
      yield* this.#withContent(entry, await this.#content(file, size, checksum));
    } else if (entry.type === 'symlink') {
      if (size > MAX_LINK_TARGET)
        throw this.#bad(`symlink "${entry.path}" has a ${size}-byte target`);
      const parts: Uint8Array[] = [];
      await this.#reader.readData(size, (chunk) => parts.push(chunk.slice()), checksum);
      let target: string;
      try {
        target = utf8.decode(Buffer.concat(parts));
      } catch {
        target = '';
      }
      if (target !== entry.linkTarget)
        throw this.#bad(`symlink "${entry.path}" has another target in the payload`);
      yield { entry };
    } else {
      if (size !== 0) throw this.#bad(`"${entry.path}" (${entry.type}) has data in the payload`);
      yield { entry };
    }
  }

  async *#linkMember(
    file: RpmFile,
    set: readonly number[],
    size: number,
    checksum: number | undefined,
  ): AsyncGenerator<StreamedEntry> {
    const carrierIndex = set[set.length - 1] ?? file.index;
    const carrier = this.#files[carrierIndex] ?? file;
    const done = this.#linked.has(carrierIndex);
    const carriesData =
      size > 0 || (file.index === carrierIndex && !done && carrier.declaredSize === 0);
    if (!carriesData) {
      if (file.index === carrierIndex) return;
      if (done) yield { entry: file.entry };
      else
        this.#waiting.set(carrierIndex, [...(this.#waiting.get(carrierIndex) ?? []), file.index]);
      return;
    }
    if (done) throw this.#bad(`the hardlinks of "${carrier.entry.path}" carry content twice`);
    if (size !== carrier.declaredSize) {
      throw this.#bad(
        `"${carrier.entry.path}" has ${size} bytes in the payload, ${carrier.declaredSize} in the header`,
      );
    }
    const content = await this.#content(carrier, size, checksum);
    this.#linked.add(carrierIndex);
    yield* this.#withContent(carrier.entry, content);
    const waiting = this.#waiting.get(carrierIndex) ?? [];
    this.#waiting.delete(carrierIndex);
    if (file.index !== carrierIndex) waiting.push(file.index);
    for (const index of waiting.sort((a, b) => a - b)) {
      const member = this.#files[index];
      if (member !== undefined) yield { entry: member.entry };
    }
  }

  /** Yields a file with its content; a streamed content is read to its end before going on. */
  async *#withContent(entry: PackageEntry, content: FileContent): AsyncGenerator<StreamedEntry> {
    yield { entry, content };
    await settleContent(content);
  }

  /** Compares a file's content with its header digest once the last chunk has passed. */
  #digestCheck(entry: PackageEntry): ContentCheck | undefined {
    const { digest } = entry;
    if (digest === undefined) return undefined;
    const hash = newHash(digest.algorithm);
    return {
      update: (chunk) => hash.update(chunk),
      finish: () => {
        const actual = hash.digest('hex');
        if (actual === digest.hex) return;
        throw new PackageVerifyError(
          problemOf(
            this.#headers.context,
            `"${entry.path}" does not match its ${digest.algorithm} digest (${actual}, expected ${digest.hex})`,
          ),
        );
      },
    };
  }

  /**
   * One file's content, verified against the header digest: read whole when small, otherwise
   * a stream that reads it as it is asked for and fails after its last chunk on a mismatch.
   */
  async #content(file: RpmFile, size: number, checksum: number | undefined): Promise<FileContent> {
    if (size > this.#maxFileSize) {
      throw this.#bad(
        `"${file.entry.path}" is ${size} bytes, more than the ${this.#maxFileSize} allowed`,
      );
    }
    const check = this.#digestCheck(file.entry);
    if (size > CONTENT_CHUNK_BYTES) {
      return new ContentStream(this.#reader.dataChunks(size, CONTENT_CHUNK_BYTES, checksum), check);
    }
    const parts: Uint8Array[] = [];
    await this.#reader.readData(
      size,
      (chunk) => {
        parts.push(chunk);
        check?.update(chunk);
      },
      checksum,
    );
    check?.finish();
    return new Uint8Array(Buffer.concat(parts, size));
  }
}

/** Checks the payload digests and sizes once the archive has been read to its end. */
async function finishPayload(headers: RpmHeaders, payload: OpenPayload): Promise<void> {
  const trailing = await payload.source.drain(MAX_TRAILING_BYTES);
  if (trailing > MAX_TRAILING_BYTES) {
    throw malformedRpm(headers.context, 'the payload goes on long after the cpio trailer');
  }
  assertDigests(headers, payload.checks());
}

/** Streams the entries of an RPM with their content, verifying as it goes (see above). */
export async function* streamRpmEntries(
  file: string,
  options: StreamRpmOptions = {},
): AsyncGenerator<StreamedEntry> {
  const headers = options.headers ?? (await readRpmHeaders(file));
  assertDigests(headers, checkHeaderDigests(headers));
  const payload = openPayload(headers, payloadDigestChecks(headers));
  try {
    yield* new Extraction(headers, payload, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE).run();
    await finishPayload(headers, payload);
  } finally {
    await payload.close();
  }
}
