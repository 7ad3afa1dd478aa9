import { createHash } from 'node:crypto';
import { decompressBuffer, detectCodec } from '../compress/index.ts';
import { UserError } from '../core/errors.ts';
import type { DiffEntry } from './entries.ts';

const NEWC_MAGIC = '070701';
const HEADER_BYTES = 110;
const TRAILER = 'TRAILER!!!';

const pad4 = (offset: number) => (offset + 3) & ~3;

const TYPES: Record<number, string> = {
  0o040000: 'directory',
  0o100000: 'file',
  0o120000: 'symlink',
  0o020000: 'char',
  0o060000: 'block',
  0o010000: 'fifo',
  0o140000: 'socket',
};

function malformed(what: string, message: string): UserError {
  return new UserError('cpio-malformed', `${what}: ${message}`, {
    hint: 'the initramfs is not a newc cpio archive (cut short or damaged)',
  });
}

/** The entries of one uncompressed newc archive starting at `at`; returns where it ends. */
function readArchive(bytes: Uint8Array, at: number, what: string, out: DiffEntry[]): number {
  const text = new TextDecoder('latin1');
  let offset = at;
  for (;;) {
    if (offset + HEADER_BYTES > bytes.length)
      throw malformed(what, `header at ${offset} is cut short`);
    const header = text.decode(bytes.subarray(offset, offset + HEADER_BYTES));
    if (!header.startsWith(NEWC_MAGIC)) throw malformed(what, `no newc header at ${offset}`);
    const field = (index: number) =>
      Number.parseInt(header.slice(6 + index * 8, 14 + index * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const nameStart = offset + HEADER_BYTES;
    const name = text.decode(bytes.subarray(nameStart, nameStart + nameSize - 1));
    const dataStart = pad4(nameStart + nameSize);
    const dataEnd = dataStart + size;
    if (dataEnd > bytes.length) throw malformed(what, `${name} runs past the end`);
    offset = pad4(dataEnd);
    if (name === TRAILER) return offset;
    const data = bytes.subarray(dataStart, dataEnd);
    const type = TYPES[mode & 0o170000] ?? 'unknown';
    const path = `/${name.replace(/^\.?\/*/, '')}`.replace(/\/$/, '') || '/';
    out.push({
      path,
      type,
      mode: mode & 0o7777,
      uid: field(2),
      gid: field(3),
      mtime: field(5),
      ...(type === 'file' ? { size, sha256: createHash('sha256').update(data).digest('hex') } : {}),
      ...(type === 'symlink' ? { target: text.decode(data) } : {}),
    });
  }
}

/**
 * Every entry of an initramfs: newc cpio archives one after another, each plain or compressed
 * (gzip, xz, zstd, as the kernel takes them), with zero padding between them.
 */
export async function readCpioEntries(bytes: Uint8Array, what: string): Promise<DiffEntry[]> {
  const entries: DiffEntry[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] === 0) {
      offset += 1;
      continue;
    }
    const head = bytes.subarray(offset, offset + 16);
    if (new TextDecoder('latin1').decode(head.subarray(0, 6)) === NEWC_MAGIC) {
      offset = readArchive(bytes, offset, what, entries);
      continue;
    }
    const codec = detectCodec(head);
    if (codec === 'none')
      throw malformed(what, `neither a cpio archive nor compressed data at ${offset}`);
    // A compressed archive runs to the end of the image.
    const plain = await decompressBuffer(bytes.subarray(offset), codec).catch((error: unknown) => {
      throw malformed(what, `its ${codec} data cannot be read: ${String(error)}`);
    });
    const inner = await readCpioEntries(plain, what);
    entries.push(...inner);
    break;
  }
  return entries;
}
