/**
 * Writing tar members as apk-tools reads them: ustar headers, with a pax extended header in
 * front when a member carries pax records (checksums) or a path too long for ustar.
 */

export const TAR_BLOCK = 512;

/** The two zero blocks that end a tar archive. */
export const TAR_END_OF_ARCHIVE = new Uint8Array(TAR_BLOCK * 2);

export type TarMemberType = 'file' | 'directory' | 'symlink';

export interface TarMember {
  /** Path inside the archive, relative, without a trailing slash. */
  readonly name: string;
  readonly type: TarMemberType;
  /** Permission bits, including setuid, setgid and sticky. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Content length of a regular file; 0 for the other types. */
  readonly size: number;
  readonly mtime: number;
  readonly linkTarget?: string;
  /** Extra pax records (`APK-TOOLS.checksum.SHA1`), written before the member. */
  readonly pax?: Readonly<Record<string, string>>;
}

const encoder = new TextEncoder();
const NAME_LENGTH = 100;
const PREFIX_LENGTH = 155;
const MAX_OCTAL_SIZE = 0o77777777777;

const TYPEFLAGS: Readonly<Record<TarMemberType, string>> = {
  file: '0',
  directory: '5',
  symlink: '2',
};

function byteLength(value: string): number {
  return encoder.encode(value).length;
}

function putText(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) {
    throw new RangeError(`tar field of ${length} bytes cannot hold ${JSON.stringify(value)}`);
  }
  block.set(bytes, offset);
}

function putOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`tar numeric field out of range: ${value}`);
  }
  putText(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a long path into ustar's prefix and name fields, when some `/` allows it. */
function splitUstarPath(path: string): { prefix: string; name: string } | undefined {
  if (byteLength(path) <= NAME_LENGTH) {
    return { prefix: '', name: path };
  }
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (byteLength(prefix) <= PREFIX_LENGTH && byteLength(name) <= NAME_LENGTH && name !== '') {
      return { prefix, name };
    }
  }
  return undefined;
}

/** Pax records, each `<length> <key>=<value>\n` where the length counts itself. */
export function paxRecords(records: Readonly<Record<string, string>>): Uint8Array {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    const bodyLength = byteLength(body);
    let length = bodyLength + 1;
    while (String(length).length + bodyLength !== length) {
      length = String(length).length + bodyLength;
    }
    return `${length}${body}`;
  });
  return encoder.encode(lines.join(''));
}

function headerBlock(
  fields: Omit<TarMember, 'pax' | 'type'> & { typeflag: string; prefix: string },
): Uint8Array {
  const block = new Uint8Array(TAR_BLOCK);
  putText(block, 0, NAME_LENGTH, fields.name);
  putOctal(block, 100, 8, fields.mode & 0o7777);
  putOctal(block, 108, 8, fields.uid);
  putOctal(block, 116, 8, fields.gid);
  if (fields.size > MAX_OCTAL_SIZE) {
    throw new RangeError(`tar member ${fields.name} is too large: ${fields.size} bytes`);
  }
  putOctal(block, 124, 12, fields.size);
  putOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156);
  putText(block, 156, 1, fields.typeflag);
  putText(block, 157, NAME_LENGTH, fields.linkTarget ?? '');
  putText(block, 257, 6, 'ustar\0');
  putText(block, 263, 2, '00');
  putText(block, 265, 32, fields.uname);
  putText(block, 297, 32, fields.gname);
  putOctal(block, 329, 8, 0);
  putOctal(block, 337, 8, 0);
  putText(block, 345, PREFIX_LENGTH, fields.prefix);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  putText(block, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** Zero bytes that pad `size` bytes of content to a whole block. */
export function tarPadding(size: number): Uint8Array {
  const rest = size % TAR_BLOCK;
  return new Uint8Array(rest === 0 ? 0 : TAR_BLOCK - rest);
}

function truncateName(name: string): string {
  let cut = name;
  while (byteLength(cut) > NAME_LENGTH) {
    cut = cut.slice(1);
  }
  return cut;
}

/** The header blocks of one member: a pax header when needed, then the ustar header. */
export function tarMemberHeader(member: TarMember): Uint8Array {
  const records: Record<string, string> = {};
  const archivePath = member.type === 'directory' ? `${member.name}/` : member.name;
  let split = splitUstarPath(archivePath);
  if (split === undefined) {
    records['path'] = archivePath;
    split = { prefix: '', name: truncateName(archivePath) };
  }
  let linkTarget = member.linkTarget;
  if (linkTarget !== undefined && byteLength(linkTarget) > NAME_LENGTH) {
    records['linkpath'] = linkTarget;
    linkTarget = truncateName(linkTarget);
  }
  Object.assign(records, member.pax);
  const blocks: Uint8Array[] = [];
  if (Object.keys(records).length > 0) {
    const body = paxRecords(records);
    const baseName = member.name.slice(member.name.lastIndexOf('/') + 1);
    blocks.push(
      headerBlock({
        ...member,
        name: truncateName(`PaxHeaders/${baseName}`),
        prefix: '',
        typeflag: 'x',
        mode: 0o644,
        size: body.length,
        linkTarget: '',
      }),
      body,
      tarPadding(body.length),
    );
  }
  blocks.push(
    headerBlock({
      ...member,
      name: split.name,
      prefix: split.prefix,
      typeflag: TYPEFLAGS[member.type],
      size: member.type === 'file' ? member.size : 0,
      ...(linkTarget === undefined ? {} : { linkTarget }),
    }),
  );
  return concatBytes(blocks);
}

/** A whole member in memory: header, content and padding. */
export function tarMember(member: TarMember, content: Uint8Array = new Uint8Array()): Uint8Array {
  return concatBytes([tarMemberHeader(member), content, tarPadding(content.length)]);
}

/** A regular file owned by root:root with the fixture's time: the members of control and index archives. */
export function rootFileMember(
  name: string,
  content: Uint8Array,
  mode: number,
  mtime: number,
): Uint8Array {
  return tarMember(
    {
      name,
      type: 'file',
      mode,
      uid: 0,
      gid: 0,
      uname: 'root',
      gname: 'root',
      size: content.length,
      mtime,
    },
    content,
  );
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
