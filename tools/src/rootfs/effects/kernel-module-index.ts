import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { createRunner } from '../../core/run.ts';
import type { ImageTree } from '../image-tree.ts';
import { scriptLines } from './script-lines.ts';
import { FolderIndex, byBytes } from './tree-folders.ts';
import type { ScriptEffect } from './types.ts';

const ID = 'kernel-module-index';
const MODULE_ROOTS = ['/usr/lib/modules', '/lib/modules'];
/** Module files depmod reads: plain or compressed `.ko`, and its ordering and built-in lists. */
const DEPMOD_INPUT = /(\.ko(\.xz|\.zst|\.gz)?|^modules\.(order|builtin|builtin\.modinfo))$/;
/** Index files depmod writes; a package's own copies are replaced. */
const DEPMOD_OUTPUT =
  /^modules\.(dep|alias|softdep|symbols|devname|builtin\.alias|weakdep)(\.bin)?$|^modules\.(dep|builtin)\.bin$/;

/** The kernel versions the image has modules for, with the real folder of each. */
function moduleFolders(tree: ImageTree): { version: string; dir: string }[] {
  const folders = new FolderIndex(tree);
  const found = new Map<string, string>();
  for (const root of MODULE_ROOTS) {
    const listed = folders.list(root);
    for (const version of listed?.names ?? []) {
      const dir = folders.list(`${listed?.path}/${version}`);
      if (dir !== undefined) found.set(version, dir.path);
    }
  }
  return [...found]
    .map(([version, dir]) => ({ version, dir }))
    .sort((a, b) => byBytes(a.version, b.version));
}

/** Copies the module files of one kernel into `base/lib/modules/<version>` for depmod. */
async function exportModules(tree: ImageTree, dir: string, target: string): Promise<number> {
  let count = 0;
  for (const path of tree.paths()) {
    if (!path.startsWith(`${dir}/`)) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!DEPMOD_INPUT.test(name)) continue;
    const bytes = await tree.readFile(path);
    if (bytes === undefined) continue;
    const out = join(target, path.slice(dir.length + 1));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
    count += 1;
  }
  return count;
}

/**
 * `depmod -a <version>` for every kernel in the image, as a kernel package's %posttrans does:
 * Rocky's kernel-core ships the modules but not modules.dep and the binary indexes that
 * modprobe (and so udev's module autoloading) reads. depmod runs on a scratch copy of the
 * module files, as an ordinary user; its index files are put back into the image.
 */
export const kernelModuleIndexEffect: ScriptEffect = {
  id: ID,
  describe: 'kernel module indexes (depmod) for each kernel in the image',
  families: ['rpm'],
  claims(_pkg, script) {
    const lines = scriptLines(script.body)
      .filter(({ text }) => /(^|[\s/;&|])depmod(\s|$)/.test(text))
      .map(({ index }) => index);
    return lines.length > 0 ? lines : undefined;
  },
  applies({ tree }) {
    return MODULE_ROOTS.some((root) => tree.lookup(root)?.node.kind === 'directory');
  },
  async apply({ tree }) {
    const notes: string[] = [];
    const runner = createRunner();
    for (const { version, dir } of moduleFolders(tree)) {
      const base = await mkdtemp(join(tmpdir(), 'depmod-'));
      try {
        const target = join(base, 'lib', 'modules', version);
        await mkdir(target, { recursive: true });
        const modules = await exportModules(tree, dir, target);
        if (modules === 0) continue;
        await runner.run(['depmod', '--basedir', base, '--all', version]).catch((error) => {
          throw new UserError(
            'rootfs-depmod',
            `depmod could not index the ${modules} modules of kernel ${version}`,
            { hint: 'check that the kernel packages are complete', cause: error },
          );
        });
        const written = (await readdir(target)).filter((name) => DEPMOD_OUTPUT.test(name)).sort();
        for (const name of written) {
          const packaged = tree.get(`${dir}/${name}`);
          await tree.writeFile(
            `${dir}/${name}`,
            await readFile(join(target, name)),
            { mode: 0o644, uid: 0, gid: 0, mtime: tree.epoch, xattrs: {} },
            ID,
          );
          if (packaged !== undefined) {
            tree.note(ID, `${dir}/${name}`, ID, `replaced ${packaged.origin}'s copy with depmod's`);
          }
        }
        notes.push(`${version}: ${modules} modules, ${written.join(' ')}`);
      } finally {
        await rm(base, { recursive: true, force: true });
      }
    }
    return notes;
  },
};
