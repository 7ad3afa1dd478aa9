import { AccountFiles } from './account-files.ts';
import { ImageBuildError } from './errors.ts';
import type { ImageTree } from './image-tree.ts';
import type { ImageNode } from './nodes.ts';

export interface OwnerResolution {
  /** Nodes whose owner names were looked up. */
  readonly resolved: number;
  /** Names that /etc/passwd or /etc/group of the image does not know, sorted. */
  readonly unknownUsers: readonly string[];
  readonly unknownGroups: readonly string[];
}

export interface ResolveOwnersOptions {
  /**
   * What an owner name the image does not know becomes when the package recorded no number
   * for it (RPM): `root`, as rpm does with a warning, or an error naming every such file.
   */
  readonly unknown?: 'root' | 'error';
}

/** Name → id, the first record winning as with getpwnam/getgrnam. */
function idsByName(records: readonly { name: string; id: number }[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const { name, id } of records) if (!ids.has(name)) ids.set(name, id);
  return ids;
}

function withoutOwner(
  node: Exclude<ImageNode, { kind: 'hardlink' }>,
  uid: number,
  gid: number,
): ImageNode {
  const { owner: _owner, ...rest } = node;
  return { ...rest, uid, gid };
}

/**
 * Looks up the owner names packages gave in the image's own /etc/passwd and /etc/group, after
 * all packages (and the scripts' accounts) are in, as the package managers do against the
 * target root. An unknown name falls back to the number the package recorded (apk) or to
 * root (rpm: "user X does not exist - using root"); either is noted. With `unknown: 'error'`
 * a name without a recorded number is an error instead, listing every file and package.
 */
export async function resolveOwners(
  tree: ImageTree,
  options: ResolveOwnersOptions = {},
): Promise<OwnerResolution> {
  const accounts = await AccountFiles.load(tree);
  const uids = idsByName(accounts.users().map((user) => ({ name: user.name, id: user.uid })));
  const gids = idsByName(accounts.groups().map((group) => ({ name: group.name, id: group.gid })));
  const unknownUsers = new Set<string>();
  const unknownGroups = new Set<string>();
  const problems: string[] = [];
  let resolved = 0;
  for (const path of tree.paths()) {
    const node = tree.get(path);
    if (node === undefined || node.kind === 'hardlink' || node.owner === undefined) continue;
    const { user, group, uid: recordedUid, gid: recordedGid } = node.owner;
    if (options.unknown === 'error') {
      const missing = [
        ...(uids.has(user) || recordedUid !== undefined ? [] : [`user ${user}`]),
        ...(gids.has(group) || recordedGid !== undefined ? [] : [`group ${group}`]),
      ];
      if (missing.length > 0) problems.push(`${path} of ${node.origin}: ${missing.join(', ')}`);
    }
    const uid = uids.get(user) ?? recordedUid ?? 0;
    const gid = gids.get(group) ?? recordedGid ?? 0;
    if (!uids.has(user)) {
      unknownUsers.add(user);
      const fallback = recordedUid === undefined ? 'root' : `uid ${recordedUid} as packaged`;
      tree.note(
        'unknown-user',
        path,
        node.origin,
        `user ${user} of ${path} is not in the image's /etc/passwd: ${fallback}`,
      );
    }
    if (!gids.has(group)) {
      unknownGroups.add(group);
      const fallback = recordedGid === undefined ? 'root' : `gid ${recordedGid} as packaged`;
      tree.note(
        'unknown-group',
        path,
        node.origin,
        `group ${group} of ${path} is not in the image's /etc/group: ${fallback}`,
      );
    }
    tree.set(path, withoutOwner(node, uid, gid));
    resolved += 1;
  }
  if (problems.length > 0) {
    throw new ImageBuildError(
      'rootfs-unknown-owner',
      `owners that no account in the image's /etc/passwd or /etc/group defines:\n  ${problems.join('\n  ')}`,
      'add the package that creates these accounts (a sysusers.d file or the setup package) to the variant',
    );
  }
  return {
    resolved,
    unknownUsers: [...unknownUsers].sort(),
    unknownGroups: [...unknownGroups].sort(),
  };
}
