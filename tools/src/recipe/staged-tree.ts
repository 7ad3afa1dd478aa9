import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { measureFile } from '../fetch/digest.ts';

/** What a recipe put in `$OUT`, by absolute path as it will be under the root. */
export type StagedEntry =
  | { readonly kind: 'directory'; readonly path: string; readonly mode: number }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly mode: number;
      readonly size: number;
      readonly sha256: string;
      /** Where it is in `$OUT`. */
      readonly staged: string;
    }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

export interface StagedTree {
  /** Parents before children, names in byte order. */
  readonly entries: readonly StagedEntry[];
  /** Bits taken away (setuid, setgid) and entries left out (devices, FIFOs, sockets). */
  readonly notes: readonly string[];
}

/**
 * Lists `$OUT`. Whatever the build user made is taken as plain content owned by root: setuid
 * and setgid bits are dropped (a build may not hand out root's powers), and device nodes,
 * FIFOs and sockets are left out, each with a note.
 */
export async function readStagedTree(out: string): Promise<StagedTree> {
  const entries: StagedEntry[] = [];
  const notes: string[] = [];
  async function walk(dir: string, under: string): Promise<void> {
    const names = (await readdir(dir)).sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    for (const name of names) {
      const host = join(dir, name);
      const path = `${under}/${name}`;
      const info = await lstat(host);
      if (info.isDirectory()) {
        entries.push({ kind: 'directory', path, mode: info.mode & 0o1777 });
        await walk(host, path);
      } else if (info.isSymbolicLink()) {
        entries.push({ kind: 'symlink', path, target: await readlink(host) });
      } else if (info.isFile()) {
        if ((info.mode & 0o6000) !== 0) notes.push(`${path}: setuid/setgid bits dropped`);
        const mode = info.mode & 0o777;
        entries.push({
          kind: 'file',
          path,
          mode,
          size: info.size,
          sha256: (await measureFile(host)).sha256,
          staged: host,
        });
      } else {
        notes.push(`${path}: left out (only files, folders and symbolic links are installed)`);
      }
    }
  }
  await walk(out, '');
  return { entries, notes };
}
