import type { EntryType } from '../packages/model.ts';
import { UnsafeEntryError } from '../packages/errors.ts';
import type { ApkSource } from './limits.ts';

/**
 * The image path of an archive member name: `/`-rooted, without `.` or empty components or a
 * trailing slash. Undefined for the archive root itself (`./`). Names with `..` components and
 * absolute names are refused.
 */
export function imagePath(name: string, source: ApkSource, what = 'entry'): string | undefined {
  const unsafe = (message: string) =>
    new UnsafeEntryError({ ...source, message: `${what} ${JSON.stringify(name)}: ${message}` });
  if (name.startsWith('/')) {
    throw unsafe('absolute path');
  }
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '..') {
      throw unsafe('path with a .. component');
    }
    if (part !== '' && part !== '.') {
      parts.push(part);
    }
  }
  return parts.length === 0 ? undefined : `/${parts.join('/')}`;
}

/** The proper ancestors of an image path, nearest to the root first: `/a`, `/a/b` for `/a/b/c`. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) {
    out.push(path.slice(0, at));
  }
  return out;
}

interface Recorded {
  readonly type: EntryType;
  /** SHA1 of a regular file's content, for checking the hardlinks to it. */
  readonly sha1?: string;
}

/**
 * What a package has laid down so far, to refuse entries that would be written through one of
 * its own symlinks, below one of its own files, or on top of an earlier entry.
 */
export class EntryTracker {
  readonly #entries = new Map<string, Recorded>();

  constructor(private readonly source: ApkSource) {}

  /**
   * Checks `path` against the earlier entries. Returns false for a repeated directory, which is
   * dropped; throws for anything unsafe.
   */
  admit(path: string, type: EntryType): boolean {
    for (const ancestor of ancestorsOf(path)) {
      const earlier = this.#entries.get(ancestor);
      if (earlier === undefined || earlier.type === 'directory') {
        continue;
      }
      throw new UnsafeEntryError({
        ...this.source,
        message:
          earlier.type === 'symlink'
            ? `${path} lies under ${ancestor}, a symlink the package itself creates`
            : `${path} lies under ${ancestor}, which the package installs as a ${earlier.type}`,
      });
    }
    const earlier = this.#entries.get(path);
    if (earlier !== undefined) {
      if (earlier.type === 'directory' && type === 'directory') {
        return false;
      }
      throw new UnsafeEntryError({
        ...this.source,
        message: `${path} appears twice in the package (${earlier.type}, then ${type})`,
      });
    }
    return true;
  }

  record(path: string, type: EntryType, sha1?: string): void {
    this.#entries.set(path, sha1 === undefined ? { type } : { type, sha1 });
  }

  /** The regular file a hardlink points at, which must come earlier in the same package. */
  hardlinkTarget(path: string, target: string): Recorded {
    const earlier = this.#entries.get(target);
    if (earlier === undefined || (earlier.type !== 'file' && earlier.type !== 'hardlink')) {
      throw new UnsafeEntryError({
        ...this.source,
        message: `hardlink ${path} points at ${target}, which is not an earlier regular file of the package`,
      });
    }
    return earlier;
  }
}
