import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { explainingFolderErrors } from '../core/folder-errors.ts';
import type { WrittenFolder } from '../core/folder-errors.ts';

/** The file operations the check uses; a test passes failing ones. */
export type FolderFs = Pick<typeof fsPromises, 'mkdir' | 'stat' | 'writeFile' | 'rm'>;

/**
 * Makes sure a build can write into `folder.dir` before any work starts: the folder exists (it
 * is made if missing), is a folder, and a file can be written there. A read-only file system,
 * missing permission or a file in the way becomes a UserError naming the folder.
 */
export async function prepareWritableFolder(
  folder: WrittenFolder,
  fs: FolderFs = fsPromises,
): Promise<void> {
  await explainingFolderErrors([folder], async () => {
    await fs.mkdir(folder.dir, { recursive: true });
    if (!(await fs.stat(folder.dir)).isDirectory()) {
      throw new UserError(
        'folder-not-a-folder',
        `the ${folder.role} ${folder.dir} is not a folder`,
        {
          hint: `move that file away, or ${folder.elsewhere}`,
        },
      );
    }
    const probe = join(folder.dir, `.write-check-${process.pid}`);
    try {
      await fs.writeFile(probe, '');
    } finally {
      await fs.rm(probe, { force: true });
    }
  });
}
