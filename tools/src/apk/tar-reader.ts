import { InternalError } from '../core/errors.ts';
import { CONTENT_CHUNK_BYTES, ContentStream } from '../packages/content.ts';
import { PackageFormatError } from '../packages/errors.ts';
import type { ByteReader } from '../core/byte-reader.ts';
import type { ApkSource } from './limits.ts';
import { paxInteger, paxSeconds, paxText, parsePaxRecords } from './pax.ts';
import type { PaxRecords } from './pax.ts';
import { TAR_BLOCK, decodeUtf8, isZeroBlock, paddingAfter, parseTarHeader } from './tar-header.ts';
import type { TarHeader } from './tar-header.ts';

export type TarEntryKind =
  'file' | 'hardlink' | 'symlink' | 'char-device' | 'block-device' | 'directory' | 'fifo';

/** An archive member with pax and GNU long-name records applied. */
export interface TarEntry {
  readonly name: string;
  readonly kind: TarEntryKind;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Content bytes for regular files; 0 for everything else. */
  readonly size: number;
  readonly mtime: number;
  readonly linkname: string;
  readonly devmajor: number;
  readonly devminor: number;
  /** The pax records that applied to this entry (global ones included). */
  readonly pax: ReadonlyMap<string, Uint8Array>;
  readonly content?: Uint8Array;
}

/**
 * A member as streamTarEntries() hands it over: a regular file's content whole when small,
 * otherwise in chunks that must be read before the next member is asked for (see FileContent).
 */
export interface StreamedTarEntry extends Omit<TarEntry, 'content'> {
  readonly content?: Uint8Array | ContentStream;
}

export interface TarReadLimits {
  readonly maxEntries: number;
  readonly maxFileBytes: number;
  readonly maxPaxBytes: number;
  readonly maxPaxRecords: number;
  readonly maxLongNameBytes: number;
  /** Bound on everything read from the queue, headers and padding included. */
  readonly maxArchiveBytes: number;
}

const KINDS: Readonly<Record<string, TarEntryKind>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
};

/** Pax extended headers, GNU long names and the like that only describe the next entry. */
const MAX_META_HEADERS = 8;

interface Pending {
  local: PaxRecords;
  paxBytes: number;
  longName?: string;
  longLink?: string;
  metaHeaders: number;
}

function freshPending(): Pending {
  return { local: new Map(), paxBytes: 0, metaHeaders: 0 };
}

/**
 * Streams the members of a tar archive, each file's content read whole: for archives held in
 * memory (control, signature and index members). The archive ends at a zero block or, as in the
 * control part of an .apk, where the data ends on a block boundary.
 */
export async function* readTarEntries(
  queue: ByteReader,
  source: ApkSource,
  limits: TarReadLimits,
): AsyncGenerator<TarEntry> {
  for await (const { content, ...entry } of tarMembers(queue, source, limits, Infinity)) {
    if (content instanceof ContentStream) {
      throw new InternalError(`${entry.name} was streamed though it was to be read whole`);
    }
    yield content === undefined ? entry : { ...entry, content };
  }
}

/**
 * Streams the members of a tar archive as readTarEntries() does, but a file larger than
 * CONTENT_CHUNK_BYTES comes as chunks of at most that size, read from the queue as they are
 * asked for: memory does not grow with the size of a file.
 */
export function streamTarEntries(
  queue: ByteReader,
  source: ApkSource,
  limits: TarReadLimits,
): AsyncGenerator<StreamedTarEntry> {
  return tarMembers(queue, source, limits, CONTENT_CHUNK_BYTES);
}

/** The members; a file's content is read whole up to `wholeBytes`, streamed above. */
async function* tarMembers(
  queue: ByteReader,
  source: ApkSource,
  limits: TarReadLimits,
  wholeBytes: number,
): AsyncGenerator<StreamedTarEntry> {
  const fail = (message: string) => new PackageFormatError({ ...source, message });
  const checkArchiveSize = () => {
    if (queue.position > limits.maxArchiveBytes) {
      throw fail(`archive is larger than ${limits.maxArchiveBytes} bytes`);
    }
  };
  const readExact = async (count: number, what: string): Promise<Uint8Array> => {
    const bytes = await queue.read(count);
    if (bytes.length < count) {
      throw fail(`tar archive truncated in ${what}`);
    }
    checkArchiveSize();
    return bytes;
  };
  /** `count` bytes of content in chunks of at most CONTENT_CHUNK_BYTES, as they are asked for. */
  const chunksOf = async function* (count: number, what: string): AsyncGenerator<Uint8Array> {
    for (let left = count; left > 0;) {
      const chunk = await queue.readSome(Math.min(left, CONTENT_CHUNK_BYTES));
      if (chunk.length === 0) {
        throw fail(`tar archive truncated in ${what}`);
      }
      checkArchiveSize();
      left -= chunk.length;
      yield chunk;
    }
  };
  const skipExact = async (count: number, what: string): Promise<void> => {
    if ((await queue.skip(count)) < count) {
      throw fail(`tar archive truncated in ${what}`);
    }
  };

  const globals: PaxRecords = new Map();
  let globalBytes = 0;
  let pending = freshPending();
  let entries = 0;

  for (;;) {
    const block = await queue.read(TAR_BLOCK);
    if (block.length === 0 && pending.metaHeaders === 0) {
      return;
    }
    if (block.length < TAR_BLOCK) {
      throw fail('tar archive truncated in a header');
    }
    if (isZeroBlock(block)) {
      if (pending.metaHeaders > 0) {
        throw fail('tar archive ends after an extended header');
      }
      return;
    }
    const header = parseTarHeader(block, source);
    const { typeflag } = header;
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      pending.metaHeaders += 1;
      if (pending.metaHeaders > MAX_META_HEADERS) {
        throw fail('too many extended headers before one entry');
      }
      const limit =
        typeflag === 'L' || typeflag === 'K' ? limits.maxLongNameBytes + 1 : limits.maxPaxBytes;
      if (header.size > limit) {
        throw fail(`tar extended header of ${header.size} bytes is larger than ${limit}`);
      }
      const body = await readExact(header.size, 'an extended header');
      await skipExact(paddingAfter(header.size), 'an extended header');
      if (typeflag === 'x') {
        pending.paxBytes += header.size;
        if (pending.paxBytes > limits.maxPaxBytes) {
          throw fail(`pax headers of one entry exceed ${limits.maxPaxBytes} bytes`);
        }
        parsePaxRecords(body, pending.local, source, limits.maxPaxRecords);
      } else if (typeflag === 'g') {
        globalBytes += header.size;
        if (globalBytes > limits.maxPaxBytes) {
          throw fail(`global pax headers exceed ${limits.maxPaxBytes} bytes`);
        }
        parsePaxRecords(body, globals, source, limits.maxPaxRecords);
      } else {
        const nul = body.indexOf(0);
        const name = decodeUtf8(nul < 0 ? body : body.subarray(0, nul), source, 'a GNU long name');
        if (typeflag === 'L') {
          pending.longName = name;
        } else {
          pending.longLink = name;
        }
      }
      continue;
    }
    const kind = KINDS[typeflag];
    if (kind === undefined) {
      throw fail(`unsupported tar entry type ${JSON.stringify(typeflag)} for ${header.name}`);
    }
    entries += 1;
    if (entries > limits.maxEntries) {
      throw fail(`more than ${limits.maxEntries} entries in the archive`);
    }
    const pax: PaxRecords =
      globals.size === 0 ? pending.local : new Map([...globals, ...pending.local]);
    const entry = applyExtensions(header, kind, pax, pending, source);
    pending = freshPending();
    const stored = paxInteger(pax, 'size', source) ?? header.size;
    if (stored > limits.maxFileBytes) {
      throw fail(
        `${entry.name} is ${stored} bytes, larger than the ${limits.maxFileBytes} allowed`,
      );
    }
    if (kind === 'file' && stored <= wholeBytes) {
      const content = await readExact(stored, entry.name);
      await skipExact(paddingAfter(stored), entry.name);
      yield { ...entry, size: stored, content };
    } else if (kind === 'file') {
      const content = new ContentStream(chunksOf(stored, entry.name));
      yield { ...entry, size: stored, content };
      await content.settle();
      await skipExact(paddingAfter(stored), entry.name);
    } else {
      await skipExact(stored + paddingAfter(stored), entry.name);
      checkArchiveSize();
      yield entry;
    }
  }
}

function applyExtensions(
  header: TarHeader,
  kind: TarEntryKind,
  pax: PaxRecords,
  pending: Pending,
  source: ApkSource,
): TarEntry {
  return {
    name: paxText(pax, 'path', source) ?? pending.longName ?? header.name,
    kind,
    mode: header.mode,
    uid: paxInteger(pax, 'uid', source) ?? header.uid,
    gid: paxInteger(pax, 'gid', source) ?? header.gid,
    uname: paxText(pax, 'uname', source) ?? header.uname,
    gname: paxText(pax, 'gname', source) ?? header.gname,
    size: 0,
    mtime: paxSeconds(pax, 'mtime', source) ?? header.mtime,
    linkname: paxText(pax, 'linkpath', source) ?? pending.longLink ?? header.linkname,
    devmajor: header.devmajor,
    devminor: header.devminor,
    pax,
  };
}
