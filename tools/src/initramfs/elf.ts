/**
 * Just enough of ELF64 (little-endian) to copy programs into an initramfs: the program
 * interpreter, the libraries a dynamic object needs and where it asks for them to be searched,
 * and named sections (a kernel module's `.modinfo`).
 */

export interface ElfIdentity {
  /** 1 = ELF32, 2 = ELF64. */
  readonly elfClass: number;
  /** 1 = little-endian, 2 = big-endian. */
  readonly dataEncoding: number;
  /** e_machine: 62 = x86-64, 183 = AArch64. */
  readonly machine: number;
  /** e_type: 1 = relocatable, 2 = executable, 3 = shared object. */
  readonly type: number;
}

export interface ElfDynamicInfo {
  readonly machine: number;
  /** PT_INTERP, e.g. `/lib64/ld-linux-x86-64.so.2`; undefined for static programs. */
  readonly interpreter: string | undefined;
  /** DT_NEEDED in file order. */
  readonly needed: readonly string[];
  readonly soname: string | undefined;
  /** DT_RPATH and DT_RUNPATH split on `:`, unexpanded (`$ORIGIN` stays as written). */
  readonly rpath: readonly string[];
  readonly runpath: readonly string[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_SONAME = 14n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

/** The identification of an ELF file, or undefined when the bytes are not ELF. */
export function elfIdentity(bytes: Uint8Array): ElfIdentity | undefined {
  if (bytes.length < 20) return undefined;
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    return undefined;
  }
  const little = bytes[5] === 1;
  const view = dataView(bytes);
  return {
    elfClass: bytes[4] ?? 0,
    dataEncoding: bytes[5] ?? 0,
    type: view.getUint16(16, little),
    machine: view.getUint16(18, little),
  };
}

/** Reads PT_INTERP and the PT_DYNAMIC entries of an ELF64 little-endian object. */
export function elfInterpreterAndNeeded(bytes: Uint8Array): ElfDynamicInfo {
  const view = requireElf64(bytes);
  const machine = view.getUint16(18, true);
  const segments = programHeaders(view);
  const interp = segments.find((segment) => segment.type === PT_INTERP);
  const interpreter =
    interp === undefined ? undefined : cString(bytes, interp.offset, interp.offset + interp.size);
  const dynamic = segments.find((segment) => segment.type === PT_DYNAMIC);
  if (dynamic === undefined) {
    return { machine, interpreter, needed: [], soname: undefined, rpath: [], runpath: [] };
  }
  const entries: { tag: bigint; value: bigint }[] = [];
  for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.size; at += 16) {
    const tag = view.getBigInt64(at, true);
    if (tag === DT_NULL) break;
    entries.push({ tag, value: view.getBigUint64(at + 8, true) });
  }
  const strtabAddress = entries.find((entry) => entry.tag === DT_STRTAB)?.value;
  if (strtabAddress === undefined) throw new Error('ELF dynamic section has no DT_STRTAB');
  const strtab = fileOffsetOf(segments, strtabAddress);
  const text = (tag: bigint) =>
    entries
      .filter((entry) => entry.tag === tag)
      .map((entry) => cString(bytes, strtab + Number(entry.value), bytes.length));
  const searchPath = (tag: bigint) =>
    text(tag)
      .flatMap((value) => value.split(':'))
      .filter((dir) => dir !== '');
  return {
    machine,
    interpreter,
    needed: text(DT_NEEDED),
    soname: text(DT_SONAME)[0],
    rpath: searchPath(DT_RPATH),
    runpath: searchPath(DT_RUNPATH),
  };
}

/** The bytes of the section called `name` (e.g. `.modinfo`), or undefined when there is none. */
export function elfSection(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const view = requireElf64(bytes);
  const tableOffset = Number(view.getBigUint64(0x28, true));
  const entrySize = view.getUint16(0x3a, true);
  const count = view.getUint16(0x3c, true);
  const namesIndex = view.getUint16(0x3e, true);
  if (tableOffset === 0 || count === 0) return undefined;
  const header = (index: number) => {
    const at = tableOffset + index * entrySize;
    if (at + 64 > bytes.length) throw new Error('ELF section header lies outside the file');
    return {
      name: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
    };
  };
  const names = header(namesIndex);
  for (let index = 0; index < count; index++) {
    const section = header(index);
    if (cString(bytes, names.offset + section.name, names.offset + names.size) !== name) continue;
    const NOBITS = 8;
    if (section.type === NOBITS) return new Uint8Array();
    if (section.offset + section.size > bytes.length) {
      throw new Error(`ELF section ${name} lies outside the file`);
    }
    return bytes.subarray(section.offset, section.offset + section.size);
  }
  return undefined;
}

interface Segment {
  type: number;
  offset: number;
  vaddr: bigint;
  size: number;
}

function requireElf64(bytes: Uint8Array): DataView {
  const identity = elfIdentity(bytes);
  if (identity === undefined) throw new Error('not an ELF file');
  if (identity.elfClass !== 2 || identity.dataEncoding !== 1) {
    throw new Error(
      `unsupported ELF flavour (class ${identity.elfClass}, encoding ${identity.dataEncoding}): only ELF64 little-endian is read`,
    );
  }
  if (bytes.length < 64) throw new Error('truncated ELF header');
  return dataView(bytes);
}

function programHeaders(view: DataView): Segment[] {
  const tableOffset = Number(view.getBigUint64(0x20, true));
  const entrySize = view.getUint16(0x36, true);
  const count = view.getUint16(0x38, true);
  const segments: Segment[] = [];
  for (let index = 0; index < count; index++) {
    const at = tableOffset + index * entrySize;
    if (at + 56 > view.byteLength) throw new Error('ELF program header lies outside the file');
    const segment = {
      type: view.getUint32(at, true),
      offset: Number(view.getBigUint64(at + 8, true)),
      vaddr: view.getBigUint64(at + 16, true),
      size: Number(view.getBigUint64(at + 32, true)),
    };
    if (segment.type !== PT_LOAD && segment.offset + segment.size > view.byteLength) {
      throw new Error(`ELF segment of type ${segment.type} lies outside the file`);
    }
    segments.push(segment);
  }
  return segments;
}

/** Maps a virtual address to a file offset through the PT_LOAD segments. */
function fileOffsetOf(segments: readonly Segment[], address: bigint): number {
  for (const segment of segments) {
    if (segment.type !== PT_LOAD) continue;
    const end = segment.vaddr + BigInt(segment.size);
    if (address >= segment.vaddr && address < end) {
      return segment.offset + Number(address - segment.vaddr);
    }
  }
  throw new Error(`ELF address 0x${address.toString(16)} is in no loaded segment`);
}

function cString(bytes: Uint8Array, start: number, limit: number): string {
  let end = start;
  const stop = Math.min(limit, bytes.length);
  while (end < stop && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(start, end));
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
