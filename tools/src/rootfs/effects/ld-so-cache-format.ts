/**
 * glibc's ld.so.cache in its current layout (magic `glibc-ld.so.cache`, version `1.1`), as
 * ldconfig writes it without the pre-2.32 compatibility part:
 *
 *   header    magic[17] version[3] nlibs:u32 len_strings:u32 flags:u8 pad[3]
 *             extension_offset:u32 unused:u32[3]                       (48 bytes)
 *   entries   flags:i32 key:u32 value:u32 osversion:u32 hwcap:u64      (24 bytes each)
 *   strings   NUL-terminated; key and value are offsets from the start of the file
 *
 * flags of the header say the byte order (2 = little-endian). No extension section is
 * written (extension_offset 0): it only carries glibc-hwcaps subfolders and the generator.
 */

export interface CacheEntry {
  /** The soname, looked up by ld.so. */
  readonly key: string;
  /** The path ld.so opens. */
  readonly value: string;
  /** FLAG_ELF_LIBC6 (3) with the architecture bits, e.g. 0x0303 for x86-64. */
  readonly flags: number;
  readonly hwcap: bigint;
}

const MAGIC = 'glibc-ld.so.cache1.1';
const HEADER_SIZE = 48;
const ENTRY_SIZE = 24;
const LITTLE_ENDIAN = 2;

const isDigit = (code: number | undefined) => code !== undefined && code >= 0x30 && code <= 0x39;

/**
 * The order ld.so's cache search relies on: bytes compared one by one, except that runs of
 * digits compare as numbers and a digit sorts after any other byte.
 */
export function libraryNameCompare(a: string, b: string): number {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  let i = 0;
  let j = 0;
  while (i < left.length) {
    const x = left[i] as number;
    const y = right[j];
    if (isDigit(x)) {
      if (!isDigit(y)) return 1;
      let first = 0;
      let second = 0;
      while (isDigit(left[i])) first = first * 10 + (left[i++] as number) - 0x30;
      while (isDigit(right[j])) second = second * 10 + (right[j++] as number) - 0x30;
      if (first !== second) return first - second;
    } else if (isDigit(y)) {
      return -1;
    } else if (x !== y) {
      return x - (y ?? 0);
    } else {
      i += 1;
      j += 1;
    }
  }
  return 0 - (right[j] ?? 0);
}

/**
 * Sorts as ldconfig does: by name, greatest first; for one name the higher flags first, then
 * the higher hwcap; otherwise in the order given (the order of the folders).
 */
export function sortEntries(entries: readonly CacheEntry[]): CacheEntry[] {
  return entries
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => {
      const byName = libraryNameCompare(b.entry.key, a.entry.key);
      if (byName !== 0) return byName;
      if (a.entry.flags !== b.entry.flags) return b.entry.flags - a.entry.flags;
      if (a.entry.hwcap !== b.entry.hwcap) return b.entry.hwcap > a.entry.hwcap ? 1 : -1;
      return a.position - b.position;
    })
    .map(({ entry }) => entry);
}

/** The bytes of a cache holding `entries` (already in cache order). */
export function encodeCache(entries: readonly CacheEntry[]): Uint8Array {
  const stringsStart = HEADER_SIZE + entries.length * ENTRY_SIZE;
  const offsets = new Map<string, number>();
  const chunks: Buffer[] = [];
  let size = 0;
  const offsetOf = (text: string): number => {
    const known = offsets.get(text);
    if (known !== undefined) return known;
    const bytes = Buffer.from(`${text}\0`, 'utf8');
    const at = stringsStart + size;
    chunks.push(bytes);
    size += bytes.length;
    offsets.set(text, at);
    return at;
  };
  const placed = entries.map((entry) => {
    const value = offsetOf(entry.value);
    // The key is usually the end of the value (`/usr/lib64/libz.so.1`): share its bytes.
    const key = entry.value.endsWith(`/${entry.key}`)
      ? value + Buffer.byteLength(entry.value) - Buffer.byteLength(entry.key)
      : offsetOf(entry.key);
    return { entry, key, value };
  });
  const out = Buffer.alloc(stringsStart + size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(entries.length, 20);
  out.writeUInt32LE(size, 24);
  out.writeUInt8(LITTLE_ENDIAN, 28);
  placed.forEach(({ entry, key, value }, index) => {
    const at = HEADER_SIZE + index * ENTRY_SIZE;
    out.writeInt32LE(entry.flags, at);
    out.writeUInt32LE(key, at + 4);
    out.writeUInt32LE(value, at + 8);
    out.writeUInt32LE(0, at + 12);
    out.writeBigUInt64LE(entry.hwcap, at + 16);
  });
  Buffer.concat(chunks).copy(out, stringsStart);
  return new Uint8Array(out);
}
