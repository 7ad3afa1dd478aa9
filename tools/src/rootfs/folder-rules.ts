import type { PackageEntry } from '../packages/model.ts';
import type { ImageNode } from './nodes.ts';
import { walkPath } from './path-walk.ts';
import { parentPath } from './paths.ts';

/**
 * What a package format does with an entry whose folder the package does not list.
 *
 * - `created` (rpm 4.18): the missing folders are made 0755 root:root, symlinks on the way
 *   (another package's included) are followed; the tree notes both.
 * - `listed` (apk 2.14): every entry but a folder must have its folder listed earlier in the same
 *   package, or apk refuses the file ("no dirent in archive") and the installation fails; a
 *   folder entry needs its own parent to exist already. A listed folder may be reached through
 *   another package's symlink.
 */
export type FolderRule = 'created' | 'listed';

/** The rule of each package format, as its own tool applies it. */
export const FOLDER_RULES = {
  apk: 'listed',
  rpm: 'created',
} as const satisfies Record<'apk' | 'rpm', FolderRule>;

interface TreeView {
  get(path: string): ImageNode | undefined;
}

export interface FolderProblem {
  readonly message: string;
  readonly hint: string;
}

const HINT =
  'apk refuses such a package ("no dirent in archive"): every folder that holds one of its files must be listed in it, before the file (abuild does this); rebuild the package with its folders, or drop it';

/** Where the folder of `path` stands in the tree: whose symlink leads there, or whose folder it is. */
function describeFolder(tree: TreeView, folder: string, label: string): string {
  const walk = walkPath(tree, folder, { follow: true });
  const hop = walk.ok ? walk.through[0] : undefined;
  if (hop !== undefined) {
    const link = tree.get(hop.link);
    const where =
      hop.link === folder
        ? `${folder} is a symlink`
        : `${folder} lies beyond ${hop.link}, a symlink`;
    return `${where} to ${hop.target} that ${link?.origin ?? 'another package'} installed, and ${label} does not list the folder ${folder} before it`;
  }
  const node = walk.ok ? walk.node : undefined;
  if (node?.kind === 'directory' && !node.implicit) {
    return `its folder ${folder} was installed by ${node.origin}, and ${label} does not list it before it`;
  }
  return `${label} does not list its folder ${folder} before it, and no package installed that folder`;
}

/**
 * The `listed` rule for one entry: undefined when it passes, else what is wrong. `listed` holds
 * the folders the package has listed so far.
 */
export function checkListedFolder(
  tree: TreeView,
  entry: PackageEntry,
  listed: ReadonlySet<string>,
  label: string,
): FolderProblem | undefined {
  const folder = parentPath(entry.path);
  if (entry.type === 'directory') {
    if (folder === '/' || listed.has(folder)) return undefined;
    const walk = walkPath(tree, folder, { follow: true });
    if (walk.ok && walk.node?.kind === 'directory') return undefined;
    return {
      message: `folder ${entry.path} of ${label}: ${describeFolder(tree, folder, label)}`,
      hint: 'apk creates one folder at a time: list the folders above it first, or install the package that provides them earlier',
    };
  }
  if (folder === '/' || listed.has(folder)) return undefined;
  return { message: `${entry.path}: ${describeFolder(tree, folder, label)}`, hint: HINT };
}
