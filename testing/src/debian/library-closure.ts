import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';

/** The glibc program loader every Debian x86_64 binary names as its interpreter. */
export const GLIBC_LOADER = '/lib64/ld-linux-x86-64.so.2';

/** One shared object a program needs, as the host's loader resolved it. */
export interface ResolvedLibrary {
  /** File name the program asks for (`libc.so.6`), or the loader's path. */
  readonly soname: string;
  /** Where it was found: inside one of the searched trees, or on the host. */
  readonly hostPath: string;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ET_EXEC = 2;
const ET_DYN = 3;

/** Whether a file is an ELF executable or shared object (not a kernel module or object file). */
export async function isLinkedElf(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(18);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !ELF_MAGIC.every((byte, i) => head[i] === byte)) {
      return false;
    }
    const type = head.readUInt16LE(16);
    return type === ET_EXEC || type === ET_DYN;
  } finally {
    await handle.close();
  }
}

/** Library folders of unpacked Debian packages, searched before the host's. */
export function libraryDirs(trees: readonly string[]): string[] {
  const candidates = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib', 'usr/lib'];
  return trees.flatMap((tree) => candidates.map((dir) => join(tree, dir))).filter(existsSync);
}

/**
 * Parses `ldd` output for one or several files into the libraries they need. Lines for the vDSO
 * are skipped; a library that is `not found` is an error naming the program.
 */
export function parseLdd(stdout: string, files: readonly string[]): ResolvedLibrary[] {
  const found = new Map<string, ResolvedLibrary>();
  let current = files.length === 1 ? (files[0] ?? '') : '';
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line === '' || raw.startsWith('\t') === false) {
      if (line.endsWith(':')) current = line.slice(0, -1);
      continue;
    }
    const missing = /^(\S+) => not found$/.exec(line);
    if (missing !== null) {
      throw new Error(`${current} needs ${missing[1]}, which no searched package provides`);
    }
    const arrow = /^(\S+) => (\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (arrow?.[1] !== undefined && arrow[2] !== undefined) {
      found.set(arrow[1], { soname: arrow[1], hostPath: arrow[2] });
      continue;
    }
    const loader = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (loader?.[1] !== undefined) {
      found.set(loader[1], { soname: loader[1], hostPath: loader[1] });
    }
  }
  return [...found.values()];
}

/**
 * Every shared library the ELF `files` load, transitively, as the host's glibc loader resolves
 * them with `searchDirs` first.
 */
export async function libraryClosure(
  runner: Runner,
  files: readonly string[],
  searchDirs: readonly string[],
): Promise<ResolvedLibrary[]> {
  if (files.length === 0) {
    return [];
  }
  // ldd exits 1 when one of several files is static; those need nothing.
  const { stdout } = await runner.run(['ldd', '--', ...files], {
    env: { LD_LIBRARY_PATH: searchDirs.join(':') },
    allowExitCodes: [1],
  });
  return parseLdd(stdout, files);
}

/** Debian package names owning host files, by `dpkg -S`, trying `/lib` and `/usr/lib` spellings. */
export async function hostOwners(
  runner: Runner,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const spellings = (path: string) =>
    path.startsWith('/usr/') ? [path, path.slice(4)] : [path, `/usr${path}`];
  const queried = [...new Set(paths.flatMap(spellings))];
  const owners = new Map<string, string>();
  if (queried.length === 0) {
    return owners;
  }
  const { stdout } = await runner.run(['dpkg', '-S', '--', ...queried], { allowExitCodes: [1] });
  for (const line of stdout.split('\n')) {
    const match = /^([^\s:,]+)(?::[a-z0-9]+)?: (\/.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) owners.set(match[2], match[1]);
  }
  const result = new Map<string, string>();
  for (const path of paths) {
    const owner = spellings(path)
      .map((spelling) => owners.get(spelling))
      .find((name) => name !== undefined);
    if (owner === undefined) {
      throw new Error(`no installed Debian package owns ${path}`);
    }
    result.set(path, owner);
  }
  return result;
}
