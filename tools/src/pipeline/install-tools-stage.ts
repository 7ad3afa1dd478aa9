import { readFile } from 'node:fs/promises';
import {
  HEALTH_CHECK,
  INSTALL_TOOLS,
  INSTALL_TOOL_DIR,
  installToolScript,
} from '../install/index.ts';
import { RECIPES_DIR, recipeImageFiles } from '../recipe/image-files.ts';
import type { ImageTree } from '../rootfs/index.ts';
import { rootMeta } from '../rootfs/nodes.ts';

const ORIGIN = 'install-tools';

/** Makes the folders of `path` that the image lacks, 0755 root:root. */
function makeParents(tree: ImageTree, path: string, epoch: number): void {
  const parts = path.split('/').slice(1, -1);
  for (let depth = 1; depth <= parts.length; depth++) {
    const dir = `/${parts.slice(0, depth).join('/')}`;
    if (tree.get(dir) === undefined) {
      tree.set(dir, { kind: 'directory', ...rootMeta(epoch), origin: ORIGIN, implicit: false });
    }
  }
}

async function addExecutable(tree: ImageTree, path: string, bytes: Uint8Array, epoch: number) {
  makeParents(tree, path, epoch);
  await tree.writeFile(path, bytes, { ...rootMeta(epoch), mode: 0o755 }, ORIGIN);
}

/**
 * The install tools every image carries (recstrap, recfstab, recchroot, recupdate), and the
 * health check recupdate runs before it blesses a trial boot.
 */
export async function addInstallTools(tree: ImageTree, epoch: number): Promise<void> {
  const encoder = new TextEncoder();
  for (const tool of INSTALL_TOOLS) {
    const script = encoder.encode(await installToolScript(tool));
    await addExecutable(tree, `${INSTALL_TOOL_DIR}/${tool}`, script, epoch);
  }
  const check = new Uint8Array(await readFile(HEALTH_CHECK.source));
  await addExecutable(tree, HEALTH_CHECK.path, check, epoch);
}

/** The Node.js that runs `recipe`, from the variant's own packages. */
const NODE = '/usr/bin/node';

/**
 * `recipe` (one JavaScript file), the recipe API and examples, and the empty recipes folder,
 * when the image has Node.js to run it; otherwise a note saying why it was left out.
 */
export async function addRecipeTool(tree: ImageTree, epoch: number): Promise<string[]> {
  if (tree.get(NODE) === undefined) {
    return [`recipe: left out, the image has no ${NODE} (add nodejs to the variant's packages)`];
  }
  for (const file of await recipeImageFiles()) {
    makeParents(tree, file.path, epoch);
    await tree.writeFile(file.path, file.bytes, { ...rootMeta(epoch), mode: file.mode }, ORIGIN);
  }
  makeParents(tree, `${RECIPES_DIR}/`, epoch);
  return [];
}
