import { PackageFormatError } from '../packages/errors.ts';
import type { PackageEntry } from '../packages/model.ts';
import { encodeFileCapabilities } from './capabilities.ts';
import type { Content, ContentSource, ContentStore } from './content-store.ts';
import type { ContentRef, ImageNode, NodeMeta, PendingOwner } from './nodes.ts';

/** The namespaces a squashfs image can carry. */
const STORABLE_XATTR_PREFIXES = ['user.', 'trusted.', 'security.'];
const CAPABILITY_XATTR = 'security.capability';

/** Which package an entry comes from, for nodes and messages. */
export interface EntrySource {
  /** The package name: the origin of its nodes. */
  readonly name: string;
  /** `name-version`, for messages. */
  readonly label: string;
  /** The package file. */
  readonly file: string;
}

export interface EntryNode {
  readonly node: ImageNode;
  /** Extended attributes that were dropped because an image cannot store them. */
  readonly dropped: readonly string[];
}

function capabilityXattr(entry: PackageEntry, text: string, source: EntrySource) {
  try {
    return encodeFileCapabilities(text);
  } catch (error) {
    throw new PackageFormatError({
      package: source.label,
      file: source.file,
      message: `${entry.path}: file capabilities ${JSON.stringify(text)}: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** The entry's storable xattrs; `capabilities` text, when given, decides security.capability. */
function xattrsOf(entry: PackageEntry, source: EntrySource) {
  const xattrs: Record<string, Uint8Array> = {};
  const dropped: string[] = [];
  const text = entry.capabilities;
  for (const [name, value] of Object.entries(entry.xattrs ?? {})) {
    if (text !== undefined && name === CAPABILITY_XATTR) continue;
    if (STORABLE_XATTR_PREFIXES.some((prefix) => name.startsWith(prefix))) xattrs[name] = value;
    else dropped.push(name);
  }
  const capability = text === undefined ? undefined : capabilityXattr(entry, text, source);
  if (capability !== undefined) xattrs[CAPABILITY_XATTR] = capability;
  return { xattrs, dropped };
}

function malformed(source: EntrySource, message: string): PackageFormatError {
  return new PackageFormatError({ package: source.label, file: source.file, message });
}

/** The chunks, refused as soon as they exceed the size the entry declares. */
async function* atMost(
  chunks: AsyncIterable<Uint8Array>,
  entry: PackageEntry,
  source: EntrySource,
): AsyncIterable<Uint8Array> {
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > entry.size) {
      throw malformed(source, `${entry.path}: more content than its ${entry.size} bytes`);
    }
    yield chunk;
  }
}

/** Puts a file's content into the store, whole or chunk by chunk, and checks its size. */
async function storeContent(
  entry: PackageEntry,
  content: Content | undefined,
  source: EntrySource,
  store: ContentStore,
  origin: ContentSource | undefined,
): Promise<ContentRef> {
  const ref =
    content === undefined || content instanceof Uint8Array
      ? await store.put(content ?? new Uint8Array(), origin)
      : await store.putStream(atMost(content, entry, source), origin);
  if (ref.size !== entry.size) {
    throw malformed(
      source,
      `${entry.path}: ${ref.size} bytes of content for a ${entry.size}-byte file`,
    );
  }
  return ref;
}

/** Content that an earlier build stored, claimed by its ref; its size must be the entry's. */
async function claimContent(
  entry: PackageEntry,
  stored: ContentRef,
  source: EntrySource,
  store: ContentStore,
  origin: ContentSource | undefined,
): Promise<ContentRef> {
  if (stored.size !== entry.size) {
    throw malformed(
      source,
      `${entry.path}: ${stored.size} bytes kept for a ${entry.size}-byte file`,
    );
  }
  await store.claim(stored, origin);
  return stored;
}

/**
 * The node for a package entry, its content put into the store (`origin` tells the store where
 * to read it again), or, for an entry replayed from an earlier build, its `stored` content
 * claimed in the store. Owners stay pending: the numbers the package recorded (APK) are
 * placeholders until resolveOwners().
 */
export async function entryNode(
  entry: PackageEntry,
  content: Content | undefined,
  source: EntrySource,
  store: ContentStore,
  origin?: ContentSource,
  stored?: ContentRef,
): Promise<EntryNode> {
  const { xattrs, dropped } = xattrsOf(entry, source);
  const owner: PendingOwner = {
    user: entry.user,
    group: entry.group,
    ...(entry.uid === undefined ? {} : { uid: entry.uid }),
    ...(entry.gid === undefined ? {} : { gid: entry.gid }),
  };
  const meta: NodeMeta = {
    mode: entry.mode & 0o7777,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    mtime: entry.mtime,
    xattrs,
  };
  const common = { ...meta, origin: source.name, owner };
  const link = entry.linkTarget;
  switch (entry.type) {
    case 'directory':
      return { node: { kind: 'directory', ...common, implicit: false }, dropped };
    case 'file': {
      const ref =
        stored === undefined
          ? await storeContent(entry, content, source, store, origin)
          : await claimContent(entry, stored, source, store, origin);
      return { node: { kind: 'file', ...common, content: ref }, dropped };
    }
    case 'symlink':
      if (link === undefined || link === '')
        throw malformed(source, `symlink ${entry.path} has no target`);
      return { node: { kind: 'symlink', ...common, target: link }, dropped };
    case 'hardlink':
      if (link === undefined) throw malformed(source, `hard link ${entry.path} has no target`);
      return { node: { kind: 'hardlink', target: link, origin: source.name }, dropped };
    case 'char-device':
    case 'block-device': {
      if (entry.device === undefined)
        throw malformed(source, `device ${entry.path} has no device number`);
      const kind = entry.type === 'char-device' ? 'char' : 'block';
      return { node: { kind, ...common, ...entry.device }, dropped };
    }
    case 'fifo':
    case 'socket':
      return { node: { kind: entry.type, ...common }, dropped };
  }
}

/** True when two non-directory nodes would leave the same thing on disk. */
export function sameContent(a: ImageNode, b: ImageNode): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.content.sha256 === b.content.sha256;
  if (a.kind === 'symlink' && b.kind === 'symlink') return a.target === b.target;
  if (a.kind === 'hardlink' && b.kind === 'hardlink') return a.target === b.target;
  if ((a.kind === 'char' || a.kind === 'block') && a.kind === b.kind) {
    return a.major === b.major && a.minor === b.minor;
  }
  return (a.kind === 'fifo' || a.kind === 'socket') && a.kind === b.kind;
}

/** `0644 root:root` style summary of a node's metadata, for notes. */
export function describeMeta(node: ImageNode): string {
  if (node.kind === 'hardlink') return `link to ${node.target}`;
  const owner =
    node.owner === undefined ? `${node.uid}:${node.gid}` : `${node.owner.user}:${node.owner.group}`;
  return `${node.mode.toString(8).padStart(4, '0')} ${owner}`;
}
