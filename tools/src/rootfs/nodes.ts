/** The metadata tree of an image: what each path is, who owns it, where its content lives. */

/** A regular file's content in the content store. */
export interface ContentRef {
  /** Lowercase hex SHA-256 of the content. */
  readonly sha256: string;
  readonly size: number;
}

/**
 * Owner names a package gave that are still to be looked up in the image's own /etc/passwd and
 * /etc/group (see resolveOwners). `uid`/`gid` are the numbers the package recorded, used when a
 * name is unknown (APK); without them an unknown name means root (RPM).
 */
export interface PendingOwner {
  readonly user: string;
  readonly group: string;
  readonly uid?: number;
  readonly gid?: number;
}

export interface NodeMeta {
  /** Permission bits only, 0o7777. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  /** Extended attributes, `security.capability` included, by name. */
  readonly xattrs: Readonly<Record<string, Uint8Array>>;
}

interface Owned extends NodeMeta {
  /** The package that installed the node, `overlay`, or the id of the effect that made it. */
  readonly origin: string;
  /** Set until resolveOwners() has turned owner names into numbers. */
  readonly owner?: PendingOwner;
}

export interface DirectoryNode extends Owned {
  readonly kind: 'directory';
  /** Created only because something was placed below it; a later directory entry claims it. */
  readonly implicit: boolean;
}

export interface FileNode extends Owned {
  readonly kind: 'file';
  readonly content: ContentRef;
}

export interface SymlinkNode extends Owned {
  readonly kind: 'symlink';
  readonly target: string;
}

/** Another name for a regular file; it shares that file's inode, so it has no metadata. */
export interface HardlinkNode {
  readonly kind: 'hardlink';
  /** The image path of the regular file. */
  readonly target: string;
  readonly origin: string;
}

export interface DeviceNode extends Owned {
  readonly kind: 'char' | 'block';
  readonly major: number;
  readonly minor: number;
}

export interface SpecialNode extends Owned {
  readonly kind: 'fifo' | 'socket';
}

export type ImageNode =
  DirectoryNode | FileNode | SymlinkNode | HardlinkNode | DeviceNode | SpecialNode;

export type NodeKind = ImageNode['kind'];

/** Something a tree operation did that a person reviewing the build should be able to see. */
export interface TreeNote {
  /** Short stable name of the rule: `implicit-parent`, `merged-directory`, `replaced`, ... */
  readonly rule: string;
  readonly path: string;
  /** The package, `overlay` or effect the note is about. */
  readonly origin: string;
  readonly message: string;
}

const KIND_NAMES: Record<NodeKind, string> = {
  directory: 'directory',
  file: 'regular file',
  symlink: 'symlink',
  hardlink: 'hard link',
  char: 'character device',
  block: 'block device',
  fifo: 'fifo',
  socket: 'socket',
};

export function describeKind(kind: NodeKind): string {
  return KIND_NAMES[kind];
}

export function rootMeta(mtime: number): NodeMeta {
  return { mode: 0o755, uid: 0, gid: 0, mtime, xattrs: {} };
}
