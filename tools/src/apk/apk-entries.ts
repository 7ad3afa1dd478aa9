import { createHash } from 'node:crypto';
import { ContentStream, settleContent } from '../packages/content.ts';
import type { ContentCheck } from '../packages/content.ts';
import type {
  Digest,
  EntryType,
  FileContent,
  PackageEntry,
  StreamedEntry,
} from '../packages/model.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { decodeFileCapabilities } from './capabilities.ts';
import { EntryTracker, imagePath } from './entry-paths.ts';
import type { ApkSource } from './limits.ts';
import type { StreamedTarEntry } from './tar-reader.ts';

/** The per-file checksum apk-tools writes into the pax header of each data entry. */
export const APK_CHECKSUM_RECORD = 'APK-TOOLS.checksum.SHA1';
const XATTR_PREFIX = 'SCHILY.xattr.';
const CAPABILITY_XATTR = 'security.capability';

function sha1Hex(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function declaredSha1(entry: StreamedTarEntry, source: ApkSource): string | undefined {
  const raw = entry.pax.get(APK_CHECKSUM_RECORD);
  if (raw === undefined) {
    return undefined;
  }
  const hex = Buffer.from(raw).toString('latin1').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(hex)) {
    throw new PackageFormatError({
      ...source,
      message: `${entry.name}: malformed ${APK_CHECKSUM_RECORD} record`,
    });
  }
  return hex;
}

function extendedAttributes(entry: StreamedTarEntry): {
  capabilities?: string;
  xattrs?: Record<string, Uint8Array>;
} {
  const xattrs: Record<string, Uint8Array> = {};
  let capabilities: string | undefined;
  const names = [...entry.pax.keys()].filter((key) => key.startsWith(XATTR_PREFIX)).sort();
  for (const key of names) {
    const name = key.slice(XATTR_PREFIX.length);
    const value = entry.pax.get(key) ?? new Uint8Array();
    const text = name === CAPABILITY_XATTR ? decodeFileCapabilities(value) : undefined;
    if (text === undefined) {
      xattrs[name] = Buffer.from(value);
    } else {
      capabilities = text;
    }
  }
  return {
    ...(capabilities === undefined ? {} : { capabilities }),
    ...(Object.keys(xattrs).length === 0 ? {} : { xattrs }),
  };
}

/** Compares a streamed file's SHA1 with its record once the last chunk has passed. */
function sha1Check(declared: string, mismatch: () => Error): ContentCheck {
  const hash = createHash('sha1');
  return {
    update: (chunk) => hash.update(chunk),
    finish: () => {
      if (hash.digest('hex') !== declared) throw mismatch();
    },
  };
}

/**
 * A file's content checked against its SHA1 record: at once when it came whole, as it streams
 * (the stream fails after its last chunk) when it did not.
 */
function checkedContent(
  tar: StreamedTarEntry,
  declared: string | undefined,
  mismatch: () => Error,
): FileContent {
  const content = tar.content ?? new Uint8Array();
  if (declared === undefined) {
    return content;
  }
  if (content instanceof ContentStream) {
    return new ContentStream(content, sha1Check(declared, mismatch));
  }
  if (sha1Hex(content) !== declared) {
    throw mismatch();
  }
  return content;
}

/**
 * Turns the members of an .apk data archive into image entries: normalised paths, refused
 * when unsafe; per-file SHA1 records checked against the content (for symlinks, against the
 * target; for hardlinks, against the file linked to). A large file's content streams (see
 * FileContent): its check fails the stream after its last chunk, or the next step of the
 * iteration when the consumer did not read it.
 */
export async function* packageEntries(
  archive: AsyncIterable<StreamedTarEntry>,
  source: ApkSource,
): AsyncGenerator<StreamedEntry> {
  const tracker = new EntryTracker(source);
  for await (const tar of archive) {
    const path = imagePath(tar.name, source);
    const type: EntryType = tar.kind;
    if (path === undefined || !tracker.admit(path, type)) {
      continue;
    }
    const declared = declaredSha1(tar, source);
    const mismatch = (what: string) =>
      new PackageVerifyError({
        ...source,
        message: `${path}: ${what} does not match its ${APK_CHECKSUM_RECORD} record ${declared}`,
      });
    let linkTarget: string | undefined;
    let sha1: string | undefined;
    let content: FileContent | undefined;
    if (type === 'file') {
      content = checkedContent(tar, declared, () => mismatch('the content'));
      sha1 = declared;
    } else if (type === 'symlink') {
      if (tar.linkname === '') {
        throw new PackageFormatError({ ...source, message: `symlink ${path} has no target` });
      }
      if (declared !== undefined && sha1Hex(tar.linkname) !== declared) {
        throw mismatch('the link target');
      }
      linkTarget = tar.linkname;
      sha1 = declared;
    } else if (type === 'hardlink') {
      linkTarget = imagePath(tar.linkname, source, `hardlink target of ${path}`);
      if (linkTarget === undefined) {
        throw new PackageFormatError({ ...source, message: `hardlink ${path} has no target` });
      }
      const target = tracker.hardlinkTarget(path, linkTarget);
      if (declared !== undefined && target.sha1 !== undefined && target.sha1 !== declared) {
        throw mismatch(`the content of ${linkTarget}`);
      }
      sha1 = target.sha1;
    }
    tracker.record(path, type, sha1);
    const digest: Digest | undefined =
      sha1 === undefined || type === 'directory' ? undefined : { algorithm: 'sha1', hex: sha1 };
    const device =
      type === 'char-device' || type === 'block-device'
        ? { major: tar.devmajor, minor: tar.devminor }
        : undefined;
    const entry: PackageEntry = {
      path,
      type,
      mode: tar.mode & 0o7777,
      user: tar.uname === '' ? String(tar.uid) : tar.uname,
      group: tar.gname === '' ? String(tar.gid) : tar.gname,
      uid: tar.uid,
      gid: tar.gid,
      size: type === 'file' ? tar.size : 0,
      mtime: tar.mtime,
      ...(linkTarget === undefined ? {} : { linkTarget }),
      ...(device === undefined ? {} : { device }),
      ...(digest === undefined ? {} : { digest }),
      flags: [],
      ...extendedAttributes(tar),
    };
    yield content === undefined ? { entry } : { entry, content };
    await settleContent(content);
  }
}
