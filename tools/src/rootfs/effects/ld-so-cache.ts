import { elfIdentity, elfInterpreterAndNeeded } from '../../initramfs/elf.ts';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { baseName } from '../paths.ts';
import { encodeCache, libraryNameCompare, sortEntries } from './ld-so-cache-format.ts';
import type { CacheEntry } from './ld-so-cache-format.ts';
import { libraryDirs } from './ld-so-conf.ts';
import type { LibraryDir } from './ld-so-conf.ts';
import { shellWords } from './script-lines.ts';
import { FolderIndex, symlinkNode } from './tree-folders.ts';
import type { ScriptEffect } from './types.ts';

const ID = 'ld-so-cache';
const CACHE = '/etc/ld.so.cache';
const FLAG_ELF_LIBC6 = 0x0003;
/** The architecture bits of a cache entry, by ELF machine (ELF64 only). */
const ARCH_FLAGS: Readonly<Record<number, number>> = { 62: 0x0300, 183: 0x0a00 };
const LOADERS = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'];

interface Library {
  /** The file name in the folder that gives the soname its link. */
  name: string;
  isLink: boolean;
  readonly soname: string;
  readonly flags: number;
}

/** Names ldconfig looks at: lib*.so*, ld-*.so*, ld.so.*, ld64.so.*. */
function looksLikeLibrary(name: string): boolean {
  return (
    ((name.startsWith('lib') || name.startsWith('ld-')) && name.includes('.so')) ||
    name.startsWith('ld.so.') ||
    name.startsWith('ld64.so.')
  );
}

/** The soname and flags of one folder entry, or undefined when ldconfig would skip it. */
async function inspect(
  tree: ImageTree,
  path: string,
  name: string,
  notes: string[],
): Promise<Library | undefined> {
  const node = tree.get(path);
  const file = tree.fileAt(path);
  if (file === undefined) return undefined;
  const bytes = await tree.store.read(file.node.content.sha256);
  const identity = elfIdentity(bytes);
  if (identity === undefined) return undefined;
  const arch = ARCH_FLAGS[identity.machine];
  if (identity.elfClass !== 2 || identity.dataEncoding !== 1 || arch === undefined) {
    notes.push(
      `${path}: ELF class ${identity.elfClass}, machine ${identity.machine} is not listed`,
    );
    return undefined;
  }
  let soname: string;
  try {
    soname = elfInterpreterAndNeeded(bytes).soname ?? name;
  } catch (error) {
    notes.push(`${path}: ${(error as Error).message}; not listed`);
    return undefined;
  }
  let isLink = node?.kind === 'symlink';
  if (isLink) {
    // A link named as the soname of what it reaches, or as the linker's `.so` name for it
    // (libz.so for libz.so.1), is listed under its own name; any other link counts as the
    // file it reaches.
    const developmentLink = name.endsWith('.so') && soname.startsWith(name);
    if (name !== soname && !developmentLink) isLink = false;
    else soname = name;
  }
  return { name, isLink, soname, flags: FLAG_ELF_LIBC6 | arch };
}

/** ldconfig's scan of one folder: one library per soname, a file preferred to a link. */
async function scanFolder(
  tree: ImageTree,
  index: FolderIndex,
  dir: LibraryDir,
  notes: string[],
): Promise<Library[]> {
  const bySoname = new Map<string, Library>();
  for (const name of index.list(dir.real)?.names ?? []) {
    if (!looksLikeLibrary(name)) continue;
    const library = await inspect(tree, `${dir.real}/${name}`, name, notes);
    if (library === undefined) continue;
    const known = bySoname.get(library.soname);
    if (known === undefined) bySoname.set(library.soname, library);
    else if (
      (!library.isLink && known.isLink) ||
      (library.isLink === known.isLink && libraryNameCompare(known.name, name) < 0)
    ) {
      known.name = name;
      known.isLink = library.isLink;
    }
  }
  return [...bySoname.values()];
}

/** The soname link ldconfig makes (or mends) to the newest file of a soname. */
function sonameLink(tree: ImageTree, dir: LibraryDir, library: Library, notes: string[]): void {
  if (library.isLink || library.soname === library.name) return;
  const link = `${dir.real}/${library.soname}`;
  const wanted = tree.fileAt(`${dir.real}/${library.name}`)?.path;
  if (wanted !== undefined && tree.fileAt(link)?.path === wanted) return;
  const existing = tree.get(link);
  if (existing !== undefined && existing.kind !== 'symlink') {
    notes.push(`${link} is not a symlink; left as it is`);
    return;
  }
  tree.set(link, symlinkNode(library.name, ID, tree.epoch));
  const what = existing === undefined ? 'made' : `replaced (was → ${existing.target})`;
  notes.push(`${link} → ${library.name} ${what}`);
  tree.note('soname-link', link, ID, `${link} → ${library.name} ${what}, as ldconfig would`);
}

const LDCONFIG_ARGS = new Set(['-X', '-v', '--verbose']);

function runsLdconfig(words: readonly string[] | undefined): boolean {
  const program = words?.[0];
  return (
    program !== undefined &&
    baseName(program) === 'ldconfig' &&
    (words ?? []).slice(1).every((arg) => LDCONFIG_ARGS.has(arg))
  );
}

/**
 * `ldconfig` done in TypeScript: /etc/ld.so.cache for the libraries in the folders of
 * /etc/ld.so.conf (and its includes) and the trusted folders, in glibc's current cache layout
 * and ldconfig's order, plus the soname symlinks ldconfig would make. Only ELF64
 * little-endian x86-64 and AArch64 objects are listed; glibc-hwcaps subfolders are not.
 */
export const ldSoCacheEffect: ScriptEffect = {
  id: ID,
  describe: 'the ld.so.cache of the image libraries (ldconfig)',
  families: ['rpm'],
  claims(_pkg, script) {
    if (script.body.trim() === '' && runsLdconfig(script.interpreter?.split(/\s+/))) return 'whole';
    const lines = script.body
      .split('\n')
      .flatMap((line, index) => (runsLdconfig(shellWords(line.trim())) ? [index] : []));
    return lines.length === 0 ? undefined : lines;
  },
  applies({ tree }) {
    return (
      tree.lookup('/etc/ld.so.conf') !== undefined ||
      LOADERS.some((loader) => tree.fileAt(loader) !== undefined)
    );
  },
  async apply({ tree }) {
    const index = new FolderIndex(tree);
    const notes: string[] = [];
    const dirs = await libraryDirs(tree, index, notes);
    const entries: CacheEntry[] = [];
    for (const dir of dirs) {
      for (const library of await scanFolder(tree, index, dir, notes)) {
        sonameLink(tree, dir, library, notes);
        const value = `${dir.path === '/' ? '' : dir.path}/${library.soname}`;
        entries.push({ key: library.soname, value, flags: library.flags, hwcap: 0n });
      }
    }
    const bytes = encodeCache(sortEntries(entries));
    const existing = tree.get(CACHE);
    if (existing !== undefined && existing.kind !== 'file') {
      throw new ImageBuildError(
        'rootfs-ld-so-cache',
        `${CACHE} is a ${existing.kind} in the image`,
      );
    }
    const placed = tree.place(
      CACHE,
      ID,
      tree.epoch,
      (message) => new ImageBuildError('rootfs-ld-so-cache', `cannot write ${CACHE}: ${message}`),
    );
    await tree.writeFile(
      placed.path,
      bytes,
      { mode: 0o644, uid: 0, gid: 0, mtime: tree.epoch, xattrs: {} },
      ID,
    );
    notes.push(
      `${CACHE}: ${entries.length} libraries from ${dirs.map((dir) => dir.path).join(', ') || 'no folder'}`,
    );
    return notes;
  },
};
