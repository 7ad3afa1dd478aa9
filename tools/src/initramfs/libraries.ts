import { UserError } from '../core/errors.ts';
import { elfIdentity, elfInterpreterAndNeeded } from './elf.ts';
import type { ElfDynamicInfo } from './elf.ts';
import { librarySearchDirs } from './ld-paths.ts';
import { joinRootPath, parentOf, realPathInRoot } from './root-view.ts';
import type { RootView } from './root-view.ts';

export interface LibraryClosureOptions {
  /** Folders searched after DT_RPATH/DT_RUNPATH; by default the image's configured ones. */
  readonly searchDirs?: readonly string[];
}

interface LoadedObject {
  /** The path it was found at (may be a link). */
  readonly path: string;
  readonly realPath: string;
  readonly info: ElfDynamicInfo;
  /** DT_RPATH folders of this object and the objects that loaded it, expanded. */
  readonly inheritedRpath: readonly string[];
}

/**
 * Every program interpreter and shared library the `binaries` need, transitively, found inside
 * the root the way the dynamic loader would find them. Paths are those the loader opens (they
 * may be links: copy them as links). Files that are not ELF (scripts) and static programs need
 * nothing. A library that cannot be found is an error naming the program and the library.
 */
export async function libraryClosure(
  root: RootView,
  binaries: readonly string[],
  options: LibraryClosureOptions = {},
): Promise<string[]> {
  const searchDirs = options.searchDirs ?? (await librarySearchDirs(root));
  const parsed = new Map<string, ElfDynamicInfo | undefined>();
  const needed = new Set<string>();
  const visited = new Set<string>();

  const parse = async (realPath: string) => {
    if (!parsed.has(realPath)) {
      const bytes = await root.readFile(realPath);
      const identity = bytes === undefined ? undefined : elfIdentity(bytes);
      parsed.set(
        realPath,
        bytes !== undefined && identity?.elfClass === 2 && identity.dataEncoding === 1
          ? elfInterpreterAndNeeded(bytes)
          : undefined,
      );
    }
    return parsed.get(realPath);
  };

  for (const binary of binaries) {
    const realPath = await realPathInRoot(root, binary);
    if (realPath === undefined) {
      throw new UserError('initramfs-file-missing', `${binary} is not in the image's root`);
    }
    const info = await parse(realPath);
    if (info === undefined) continue;
    const queue: LoadedObject[] = [
      { path: binary, realPath, info, inheritedRpath: expand(info.rpath, realPath) },
    ];
    if (info.interpreter !== undefined) {
      const interpreter = await realPathInRoot(root, info.interpreter);
      if (interpreter === undefined) {
        throw new UserError(
          'initramfs-library-missing',
          `${binary} needs the program interpreter ${info.interpreter}, which is not in the image`,
        );
      }
      needed.add(info.interpreter);
    }
    while (queue.length > 0) {
      const object = queue.shift();
      if (object === undefined || visited.has(object.realPath)) continue;
      visited.add(object.realPath);
      for (const name of object.info.needed) {
        const dirs = [
          ...(object.info.runpath.length === 0 ? object.inheritedRpath : []),
          ...expand(object.info.runpath, object.realPath),
          ...searchDirs,
        ];
        const found = await findLibrary(root, name, dirs, object.info.machine, parse);
        if (found === undefined) {
          const via = object.path === binary ? '' : ` (needed by ${object.path})`;
          throw new UserError(
            'initramfs-library-missing',
            `${binary} needs ${name}${via}, which is not in the image; searched ${[...new Set(dirs)].join(', ')}`,
          );
        }
        needed.add(found.path);
        queue.push({
          ...found,
          inheritedRpath: [...expand(found.info.rpath, found.realPath), ...object.inheritedRpath],
        });
      }
    }
  }
  return [...needed].sort();
}

async function findLibrary(
  root: RootView,
  name: string,
  dirs: readonly string[],
  machine: number,
  parse: (realPath: string) => Promise<ElfDynamicInfo | undefined>,
): Promise<Omit<LoadedObject, 'inheritedRpath'> | undefined> {
  const candidates = name.includes('/')
    ? [joinRootPath('/', name)]
    : dirs.map((dir) => `${dir}/${name}`);
  for (const candidate of new Set(candidates.map((path) => joinRootPath('/', path)))) {
    const realPath = await realPathInRoot(root, candidate);
    if (realPath === undefined) continue;
    const info = await parse(realPath);
    if (info?.machine === machine) return { path: candidate, realPath, info };
  }
  return undefined;
}

/** Expands `$ORIGIN` to the folder of the object; entries with other variables are dropped. */
function expand(dirs: readonly string[], realPath: string): string[] {
  const origin = parentOf(realPath);
  return dirs
    .map((dir) => dir.replaceAll('${ORIGIN}', origin).replaceAll('$ORIGIN', origin))
    .filter((dir) => dir.startsWith('/') && !dir.includes('$'))
    .map((dir) => joinRootPath('/', dir));
}
