import { chmod, copyFile, link, lstat, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RpmEntry } from './package-spec.ts';

/** Whether a host error is "cannot link across file systems" (or links are not allowed). */
function cannotLink(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EXDEV' || code === 'EPERM' || code === 'EMLINK';
}

/**
 * Places the entries of a package in `dir` as `%install` copies them: folders and links
 * created, files from memory written, files from the Debian cache hard-linked there when their
 * mode is unchanged (never written to; `cp -a` copies them) and copied otherwise. Two entries
 * reading the same host file become one hardlink set, which rpmbuild packages as such. Ghosts
 * are left out.
 */
export async function stageTree(entries: readonly RpmEntry[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) {
    if (entry.flags?.ghost === true) continue;
    const target = join(dir, entry.path);
    await mkdir(dirname(target), { recursive: true });
    if (entry.type === 'directory') {
      await mkdir(target, { recursive: true });
      await chmod(target, entry.mode);
    } else if (entry.type === 'symlink') {
      await symlink(entry.target, target);
    } else if (entry.content instanceof Uint8Array) {
      await writeFile(target, entry.content);
      await chmod(target, entry.mode);
    } else {
      const source = entry.content.hostPath;
      const unchanged = ((await lstat(source)).mode & 0o7777) === entry.mode;
      try {
        if (!unchanged) throw Object.assign(new Error('mode differs'), { code: 'EPERM' });
        await link(source, target);
      } catch (error) {
        if (!cannotLink(error)) throw error;
        await copyFile(source, target);
        await chmod(target, entry.mode);
      }
    }
  }
}
