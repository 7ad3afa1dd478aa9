import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilePermission } from '@levitate/distro-spec';
import { AccountFiles } from './account-files.ts';
import { ImageBuildError } from './errors.ts';
import type { ImageTree } from './image-tree.ts';
import type { ImageNode } from './nodes.ts';
import { describeKind, rootMeta } from './nodes.ts';
import { childPath, normalisePath } from './paths.ts';

export const OVERLAY_ORIGIN = 'overlay';

export interface OverlaySource {
  /** Host folder whose content is copied over the image root. */
  readonly dir: string;
  readonly permissions: readonly FilePermission[];
}

export interface OverlaySummary {
  readonly directories: number;
  readonly files: number;
  readonly symlinks: number;
  /** Image paths whose package content the overlay replaced. */
  readonly replaced: readonly string[];
  readonly permissions: number;
}

interface Copy {
  readonly tree: ImageTree;
  readonly dir: string;
  readonly counts: { directories: number; files: number; symlinks: number };
  readonly replaced: string[];
}

/** Host files above this size go to the store in chunks instead of whole. */
const WHOLE_FILE_BYTES = 1 << 20;

/** Puts a host file into the store, whole when small, else streamed; it can be read again. */
function storeHostFile(copy: Copy, hostPath: string, size: number) {
  const source = {
    describe: `the overlay file ${hostPath}`,
    content: () => createReadStream(hostPath, { highWaterMark: WHOLE_FILE_BYTES }),
  };
  return size <= WHOLE_FILE_BYTES
    ? readFile(hostPath).then((bytes) => copy.tree.store.put(new Uint8Array(bytes), source))
    : copy.tree.store.putStream(source.content(), source);
}

function hostModeOf(info: Stats): number {
  return info.isDirectory() || (info.mode & 0o111) !== 0 ? 0o755 : 0o644;
}

function conflict(hostPath: string, message: string): ImageBuildError {
  return new ImageBuildError(
    'rootfs-overlay-conflict',
    `overlay ${hostPath}: ${message}`,
    'an overlay can replace files and symlinks, not turn a directory into a file or back',
  );
}

function copyDirectory(copy: Copy, hostPath: string, path: string): void {
  const { tree } = copy;
  const existing = tree.get(path);
  const found = existing?.kind === 'symlink' ? tree.lookup(path)?.node : existing;
  if (found !== undefined && found.kind !== 'directory') {
    throw conflict(
      hostPath,
      `${path} is a ${describeKind(found.kind)} in the image, not a directory`,
    );
  }
  if (found === undefined || (found.kind === 'directory' && found.implicit && existing === found)) {
    tree.set(path, {
      kind: 'directory',
      ...rootMeta(tree.epoch),
      origin: OVERLAY_ORIGIN,
      implicit: false,
    });
    copy.counts.directories += 1;
  }
}

function putLeaf(copy: Copy, hostPath: string, path: string, node: ImageNode): void {
  const { tree } = copy;
  const existing = tree.get(path);
  if (existing?.kind === 'directory') {
    throw conflict(hostPath, `${path} is a directory in the image`);
  }
  if (existing !== undefined && existing.origin !== OVERLAY_ORIGIN) {
    copy.replaced.push(path);
    tree.note(
      'overlay-replaced',
      path,
      OVERLAY_ORIGIN,
      `overlay replaces the ${describeKind(existing.kind)} ${path} of ${existing.origin}`,
    );
  }
  tree.set(path, node);
}

async function copyFolder(copy: Copy, hostDir: string, imageDir: string): Promise<void> {
  const names = (await readdir(hostDir)).sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  for (const name of names) {
    const hostPath = join(hostDir, name);
    const info = await lstat(hostPath);
    const refuse = (message: string) =>
      new ImageBuildError('rootfs-overlay-unsafe', `overlay ${hostPath}: ${message}`);
    const { path } = copy.tree.place(
      childPath(imageDir, name),
      OVERLAY_ORIGIN,
      copy.tree.epoch,
      refuse,
    );
    const meta = { ...rootMeta(copy.tree.epoch), mode: hostModeOf(info), origin: OVERLAY_ORIGIN };
    if (info.isDirectory()) {
      copyDirectory(copy, hostPath, path);
      await copyFolder(copy, hostPath, path);
    } else if (info.isFile()) {
      const content = await storeHostFile(copy, hostPath, info.size);
      putLeaf(copy, hostPath, path, { kind: 'file', ...meta, content });
      copy.counts.files += 1;
    } else if (info.isSymbolicLink()) {
      putLeaf(copy, hostPath, path, {
        kind: 'symlink',
        ...meta,
        mode: 0o777,
        target: await readlink(hostPath),
      });
      copy.counts.symlinks += 1;
    } else {
      throw new ImageBuildError(
        'rootfs-overlay-type',
        `overlay ${hostPath} is neither a file, a folder nor a symlink`,
        'overlays hold files, folders and symlinks only; devices belong in packages',
      );
    }
  }
}

function idOf(name: string, ids: ReadonlyMap<string, number>): number | undefined {
  return ids.get(name) ?? (/^\d+$/.test(name) ? Number(name) : undefined);
}

async function applyPermissions(
  tree: ImageTree,
  permissions: readonly FilePermission[],
): Promise<void> {
  const accounts = await AccountFiles.load(tree);
  const uids = new Map(
    accounts
      .users()
      .reverse()
      .map((user) => [user.name, user.uid]),
  );
  const gids = new Map(
    accounts
      .groups()
      .reverse()
      .map((group) => [group.name, group.gid]),
  );
  for (const permission of permissions) {
    const path = normalisePath(permission.path);
    const found = path === undefined ? undefined : tree.lookup(path);
    if (path === undefined || found === undefined) {
      throw new ImageBuildError(
        'rootfs-permission-missing',
        `a permission is declared for ${permission.path}, which is not in the image`,
        'fix the path in the overlay permissions, or add the package or overlay file that provides it',
      );
    }
    const uid = idOf(permission.owner, uids);
    const gid = idOf(permission.group, gids);
    if (uid === undefined || gid === undefined) {
      const [what, name, file] =
        uid === undefined
          ? ['user', permission.owner, 'passwd']
          : ['group', permission.group, 'group'];
      throw new ImageBuildError(
        'rootfs-permission-owner',
        `the permission for ${permission.path} names the ${what} ${name}, which the image's /etc/${file} does not define`,
      );
    }
    if (!Number.isInteger(permission.mode) || permission.mode < 0 || permission.mode > 0o7777) {
      throw new ImageBuildError(
        'rootfs-permission-mode',
        `the permission for ${permission.path} has an invalid mode ${permission.mode}`,
      );
    }
    const targetPath = found.node.kind === 'hardlink' ? found.node.target : found.path;
    const node = tree.get(targetPath);
    if (node === undefined || node.kind === 'hardlink') continue;
    const { owner: _owner, ...rest } = node;
    tree.set(targetPath, { ...rest, mode: permission.mode, uid, gid });
    const mode = permission.mode.toString(8).padStart(4, '0');
    tree.note(
      'permission',
      targetPath,
      OVERLAY_ORIGIN,
      `${targetPath} set to ${mode} ${permission.owner}:${permission.group}`,
    );
  }
}

/**
 * Copies an overlay folder over the image: folders, files and symlinks, owned root:root,
 * directories and executables 0755, other files 0644, times at the build epoch; then applies
 * the permission declarations (mode, owner and group by name from the image's own accounts) to
 * any path in the image. A declaration for a path that is not there is an error.
 */
export async function applyOverlay(
  tree: ImageTree,
  overlay: OverlaySource,
): Promise<OverlaySummary> {
  const copy: Copy = {
    tree,
    dir: overlay.dir,
    counts: { directories: 0, files: 0, symlinks: 0 },
    replaced: [],
  };
  const info = await lstat(overlay.dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new ImageBuildError(
      'rootfs-overlay-missing',
      `overlay folder ${overlay.dir} does not exist`,
    );
  }
  await copyFolder(copy, overlay.dir, '/');
  await applyPermissions(tree, overlay.permissions);
  return { ...copy.counts, replaced: copy.replaced, permissions: overlay.permissions.length };
}
