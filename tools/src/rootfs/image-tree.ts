import { InternalError } from '../core/errors.ts';
import type { ContentStore } from './content-store.ts';
import type { FileNode, ImageNode, NodeMeta, PendingOwner, TreeNote } from './nodes.ts';
import { rootMeta } from './nodes.ts';
import { installPackage } from './package-install.ts';
import type {
  AddPackageOptions,
  InstallablePackage,
  PackageInstallSummary,
} from './package-install.ts';
import { describeHops, walkPath } from './path-walk.ts';
import type { SymlinkHop } from './path-walk.ts';
import { parentPath, sortPaths } from './paths.ts';
import { resolveOwners } from './owners.ts';
import type { OwnerResolution, ResolveOwnersOptions } from './owners.ts';

/** Contents the build writes itself up to this size are kept to repair the store with. */
const KEEP_GENERATED_BYTES = 1 << 20;

export interface ImageTreeOptions {
  readonly store: ContentStore;
  /** The build's SOURCE_DATE_EPOCH: the time of everything the build itself creates. */
  readonly epoch: number;
}

/** Where a new entry goes once the symlinks on its way are resolved. */
export interface Placement {
  readonly path: string;
  readonly through: readonly SymlinkHop[];
}

/**
 * The image as a tree of metadata: one node per normalised absolute path, file contents in the
 * content store. Nothing is ever written to the host as the image's files.
 */
export class ImageTree {
  readonly store: ContentStore;
  readonly epoch: number;
  readonly #nodes = new Map<string, ImageNode>();
  readonly #notes: TreeNote[] = [];

  constructor(options: ImageTreeOptions) {
    if (!Number.isSafeInteger(options.epoch) || options.epoch < 0) {
      throw new InternalError(`invalid build epoch ${options.epoch}`);
    }
    this.store = options.store;
    this.epoch = options.epoch;
    this.#nodes.set('/', {
      kind: 'directory',
      ...rootMeta(options.epoch),
      origin: 'image',
      implicit: true,
    });
  }

  get notes(): readonly TreeNote[] {
    return this.#notes;
  }

  get size(): number {
    return this.#nodes.size;
  }

  note(rule: string, path: string, origin: string, message: string): void {
    this.#notes.push({ rule, path, origin, message });
  }

  /** The node at exactly this path; symlinks are not followed. */
  get(path: string): ImageNode | undefined {
    return this.#nodes.get(path);
  }

  /** All paths, sorted depth first by name bytes. */
  paths(): string[] {
    return sortPaths(this.#nodes.keys());
  }

  /**
   * What is at `path`, symlinks on the way resolved, and the last one too unless `follow` is
   * false (stat or lstat); undefined when nothing is there.
   */
  lookup(
    path: string,
    options: { follow?: boolean } = {},
  ): { path: string; node: ImageNode } | undefined {
    const walk = walkPath(this, path, { follow: options.follow ?? true });
    return walk.ok && walk.node !== undefined ? { path: walk.path, node: walk.node } : undefined;
  }

  /** The regular file at `path` (through symlinks and hard links), or undefined. */
  fileAt(path: string): { path: string; node: FileNode } | undefined {
    const found = this.lookup(path);
    if (found?.node.kind === 'file') return { path: found.path, node: found.node };
    if (found?.node.kind === 'hardlink') {
      const target = this.#nodes.get(found.node.target);
      if (target?.kind === 'file') return { path: found.node.target, node: target };
    }
    return undefined;
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const file = this.fileAt(path);
    return file === undefined ? undefined : this.store.read(file.node.content.sha256);
  }

  /** Puts a node at an exact path whose parent is already a directory; a directory stays one. */
  set(path: string, node: ImageNode): void {
    if (path !== '/' && this.#nodes.get(parentPath(path))?.kind !== 'directory') {
      throw new InternalError(`${path} placed below something that is not a directory`);
    }
    if (this.#nodes.get(path)?.kind === 'directory' && node.kind !== 'directory') {
      throw new InternalError(`${path} is a directory and cannot be replaced by a ${node.kind}`);
    }
    this.#nodes.set(path, node);
  }

  /**
   * Resolves where an entry for `path` goes: symlinks on the way are followed, missing
   * directories are created 0755 root:root with `mtime` (noted) unless `createParents` is false,
   * the last name is not followed. `refuse` builds the error for a path that escapes the root,
   * runs into a file or (without `createParents`) into a missing folder.
   */
  place(
    path: string,
    origin: string,
    mtime: number,
    refuse: (message: string) => Error,
    options: { readonly createParents?: boolean } = {},
  ): Placement {
    const create = (missing: string) => {
      this.set(missing, { kind: 'directory', ...rootMeta(mtime), origin, implicit: true });
      this.note(
        'implicit-parent',
        missing,
        origin,
        `created ${missing} (0755 root:root), which ${origin} does not list`,
      );
    };
    const walk = walkPath(this, path, {
      follow: false,
      ...(options.createParents === false ? {} : { makeDirectory: create }),
    });
    if (!walk.ok) throw refuse(walk.message);
    if (walk.through.length > 0) {
      this.note(
        'through-symlink',
        walk.path,
        origin,
        `${path} placed at ${walk.path} (via ${describeHops(walk.through)})`,
      );
    }
    return { path: walk.path, through: walk.through };
  }

  /** Stores `bytes` and puts a regular file at `path` (parents must exist). */
  async writeFile(
    path: string,
    bytes: Uint8Array,
    meta: NodeMeta,
    origin: string,
    owner?: PendingOwner,
  ): Promise<FileNode> {
    // What the build makes itself is small; kept for the store should its copy be damaged.
    const content = await this.store.put(
      bytes,
      bytes.length <= KEEP_GENERATED_BYTES
        ? { describe: `what ${origin} wrote to ${path}`, content: () => bytes }
        : undefined,
    );
    const { mode, uid, gid, mtime, xattrs } = meta;
    const node: FileNode = {
      kind: 'file',
      mode,
      uid,
      gid,
      mtime,
      xattrs,
      origin,
      content,
      ...(owner === undefined ? {} : { owner }),
    };
    this.set(path, node);
    return node;
  }

  /** Streams a package's entries into the tree and the content store; see package-install.ts. */
  addPackage(
    pkg: InstallablePackage,
    options: AddPackageOptions = {},
  ): Promise<PackageInstallSummary> {
    return installPackage(this, pkg, options);
  }

  /** Turns the owner names packages gave into numbers from the image's own passwd and group. */
  resolveOwners(options: ResolveOwnersOptions = {}): Promise<OwnerResolution> {
    return resolveOwners(this, options);
  }
}
