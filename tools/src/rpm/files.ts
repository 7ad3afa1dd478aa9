/**
 * The file list of the main header as PackageEntry values.
 *
 * Paths are DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (rpm 4.x), or OLDFILENAMES[i] in packages
 * older than that. Every other per-file tag is a parallel array of the same length: FILEMODES
 * (type and permission bits), FILESIZES or LONGFILESIZES, FILEMTIMES, FILEFLAGS, FILEUSERNAME,
 * FILEGROUPNAME, FILEDIGESTS (hex, algorithm from FILEDIGESTALGO, MD5 when absent),
 * FILELINKTOS, FILERDEVS, FILEINODES, FILEDEVICES and FILECAPS.
 *
 * Hardlinks: regular files that are not ghosts and share a FILEDEVICES/FILEINODES pair form a
 * set. rpm stores the content once, with the member that has the highest index in the header
 * (the last one, as paths are sorted). That member is the set's 'file'; the others are
 * 'hardlink' entries whose linkTarget is its path, with size 0.
 */

import { UnsafeEntryError } from '../packages/errors.ts';
import type {
  Digest,
  DigestAlgorithm,
  EntryFlag,
  EntryType,
  PackageEntry,
} from '../packages/model.ts';
import { malformedRpm, problemOf } from './context.ts';
import { digestAlgorithmOf, parseDigest } from './digests.ts';
import type { RpmHeaders } from './package-headers.ts';
import { normaliseEntryPath } from './paths.ts';
import { Tag } from './tags.ts';

/** RPMFILE_* bits of FILEFLAGS, in the order flags are listed. */
const FILE_FLAGS: readonly (readonly [number, EntryFlag])[] = [
  [1 << 0, 'config'],
  [1 << 4, 'noreplace'],
  [1 << 3, 'missingok'],
  [1 << 6, 'ghost'],
  [1 << 1, 'doc'],
  [1 << 7, 'license'],
  [1 << 8, 'readme'],
  [1 << 12, 'artifact'],
];

const FILE_TYPES: Readonly<Record<number, EntryType>> = {
  0o140000: 'socket',
  0o120000: 'symlink',
  0o100000: 'file',
  0o060000: 'block-device',
  0o040000: 'directory',
  0o020000: 'char-device',
  0o010000: 'fifo',
};

/** One file of the header with what streaming needs beyond the entry. */
export interface RpmFile {
  readonly index: number;
  readonly entry: PackageEntry;
  /** Content size the header declares, also for hardlinks and ghosts. */
  readonly declaredSize: number;
  /** FILEMODES as stored, file type bits included. */
  readonly fileMode: number;
  /** Members of this file's hardlink set in header order, the content carrier last. */
  readonly linkSet?: readonly number[];
}

export interface RpmFileList {
  readonly files: readonly RpmFile[];
  readonly byPath: ReadonlyMap<string, number>;
}

/** The files of a package in header order, each path checked and unique. */
export function readRpmFiles(headers: RpmHeaders): RpmFileList {
  const { header, context } = headers;
  const bad = (message: string) => malformedRpm(context, message);
  const names = fileNames(headers);
  const count = names.length;
  const perFile = <T>(values: T[] | undefined, tag: number): T[] | undefined => {
    if (values !== undefined && values.length !== count) {
      throw bad(`tag ${tag} has ${values.length} values for ${count} files`);
    }
    return values;
  };
  const modes = perFile(header.numbers(Tag.FILEMODES), Tag.FILEMODES);
  if (count > 0 && modes === undefined) throw bad('the header lists files but no FILEMODES');
  const sizes = perFile(
    header.numbers(Tag.LONGFILESIZES) ?? header.numbers(Tag.FILESIZES),
    Tag.FILESIZES,
  );
  const mtimes = perFile(header.numbers(Tag.FILEMTIMES), Tag.FILEMTIMES);
  const flags = perFile(header.numbers(Tag.FILEFLAGS), Tag.FILEFLAGS);
  const users = perFile(header.strings(Tag.FILEUSERNAME), Tag.FILEUSERNAME);
  const groups = perFile(header.strings(Tag.FILEGROUPNAME), Tag.FILEGROUPNAME);
  const digests = perFile(header.strings(Tag.FILEDIGESTS), Tag.FILEDIGESTS);
  const links = perFile(header.strictStrings(Tag.FILELINKTOS), Tag.FILELINKTOS);
  const rdevs = perFile(header.numbers(Tag.FILERDEVS), Tag.FILERDEVS);
  const inodes = perFile(header.numbers(Tag.FILEINODES), Tag.FILEINODES);
  const devices = perFile(header.numbers(Tag.FILEDEVICES), Tag.FILEDEVICES);
  const caps = perFile(header.strings(Tag.FILECAPS), Tag.FILECAPS);
  const algorithmNumber = header.number(Tag.FILEDIGESTALGO) ?? 1;
  const algorithm: DigestAlgorithm | undefined = digestAlgorithmOf(algorithmNumber);

  const byPath = new Map<string, number>();
  const paths = names.map((name, index) => {
    const path = normaliseEntryPath(name, context);
    if (byPath.has(path)) {
      throw new UnsafeEntryError(problemOf(context, `the package lists "${path}" twice`));
    }
    byPath.set(path, index);
    return path;
  });

  const linkSets = hardlinkSets(modes ?? [], flags ?? [], inodes, devices);
  const files = paths.map((path, index): RpmFile => {
    const mode = modes?.[index] ?? 0;
    const type = FILE_TYPES[mode & 0o170000];
    if (type === undefined)
      throw bad(`"${path}" has an unknown file type in mode ${mode.toString(8)}`);
    const fileFlags = FILE_FLAGS.filter(([bit]) => ((flags?.[index] ?? 0) & bit) !== 0).map(
      ([, flag]) => flag,
    );
    const declaredSize = sizes?.[index] ?? 0;
    const linkSet = linkSets.get(index);
    const carrier = linkSet?.[linkSet.length - 1];
    const isLink = carrier !== undefined && carrier !== index;
    const hasContent = type === 'file' && !isLink && !fileFlags.includes('ghost');
    const digestText = digests?.[index] ?? '';
    let digest: Digest | undefined;
    if (digestText !== '') {
      if (algorithm === undefined)
        throw bad(`unsupported file digest algorithm ${algorithmNumber}`);
      digest = parseDigest(algorithm, digestText);
      if (digest === undefined)
        throw bad(`"${path}" has a malformed ${algorithm} digest "${digestText}"`);
    }
    let linkTarget: string | undefined;
    if (isLink) linkTarget = paths[carrier];
    else if (type === 'symlink') {
      linkTarget = links?.[index] ?? '';
      if (linkTarget === '') throw bad(`symlink "${path}" has no target`);
    }
    const rdev = rdevs?.[index] ?? 0;
    const isDevice = type === 'char-device' || type === 'block-device';
    const capabilities = caps?.[index] ?? '';
    const entry: PackageEntry = {
      path,
      type: isLink ? 'hardlink' : type,
      mode: mode & 0o7777,
      user: users?.[index] ?? 'root',
      group: groups?.[index] ?? 'root',
      size: hasContent ? declaredSize : 0,
      mtime: mtimes?.[index] ?? 0,
      ...(linkTarget === undefined ? {} : { linkTarget }),
      ...(isDevice ? { device: { major: (rdev >> 8) & 0xff, minor: rdev & 0xff } } : {}),
      ...(digest === undefined ? {} : { digest }),
      flags: fileFlags,
      ...(capabilities === '' ? {} : { capabilities }),
    };
    return {
      index,
      entry,
      declaredSize,
      fileMode: mode,
      ...(linkSet === undefined ? {} : { linkSet }),
    };
  });
  checkLinkSets(files, bad);
  return { files, byPath };
}

/** The entries of a package in header order. */
export function listRpmEntries(headers: RpmHeaders): PackageEntry[] {
  return readRpmFiles(headers).files.map((file) => file.entry);
}

function fileNames(headers: RpmHeaders): string[] {
  const { header, context } = headers;
  const basenames = header.strictStrings(Tag.BASENAMES);
  if (basenames === undefined) return header.strictStrings(Tag.OLDFILENAMES) ?? [];
  const dirnames = header.strictStrings(Tag.DIRNAMES) ?? [];
  const dirindexes = header.numbers(Tag.DIRINDEXES) ?? [];
  if (dirindexes.length !== basenames.length) {
    throw malformedRpm(
      context,
      `${basenames.length} BASENAMES but ${dirindexes.length} DIRINDEXES`,
    );
  }
  return basenames.map((base, index) => {
    const dir = dirnames[dirindexes[index] ?? 0];
    if (dir === undefined)
      throw malformedRpm(context, `file ${index} points to a missing directory name`);
    return dir + base;
  });
}

/** Hardlink sets keyed by each member's index; members in header order. */
function hardlinkSets(
  modes: readonly number[],
  flags: readonly number[],
  inodes: readonly number[] | undefined,
  devices: readonly number[] | undefined,
): Map<number, number[]> {
  const groups = new Map<string, number[]>();
  if (inodes === undefined) return new Map();
  modes.forEach((mode, index) => {
    if ((mode & 0o170000) !== 0o100000 || ((flags[index] ?? 0) & (1 << 6)) !== 0) return;
    const key = `${devices?.[index] ?? 0}:${inodes[index] ?? 0}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  });
  const byMember = new Map<number, number[]>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const member of group) byMember.set(member, group);
  }
  return byMember;
}

/** Members of a hardlink set share one content: their declared sizes and digests must agree. */
function checkLinkSets(files: readonly RpmFile[], bad: (message: string) => Error): void {
  for (const file of files) {
    const carrierIndex = file.linkSet?.[file.linkSet.length - 1];
    if (carrierIndex === undefined || carrierIndex === file.index) continue;
    const carrier = files[carrierIndex];
    if (carrier === undefined) continue;
    if (
      file.declaredSize !== carrier.declaredSize ||
      file.entry.digest?.hex !== carrier.entry.digest?.hex
    ) {
      throw bad(
        `hardlinked files "${file.entry.path}" and "${carrier.entry.path}" declare different contents`,
      );
    }
  }
}
