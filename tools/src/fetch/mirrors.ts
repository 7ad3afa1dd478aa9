/** Mirror base locations and the relative paths joined onto them. */

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.ts';

export type Mirror =
  | { readonly kind: 'http'; readonly base: URL; readonly display: string }
  | { readonly kind: 'local'; readonly root: string; readonly display: string }
  | {
      readonly kind: 'iso';
      /** The image file. */
      readonly image: string;
      /** The repository root inside the image, `/`-separated; `''` is the image's root. */
      readonly tree: string;
      readonly display: string;
    };

/** Where one file is on one mirror. */
export type Location =
  | { readonly kind: 'http'; readonly url: URL; readonly display: string }
  | { readonly kind: 'local'; readonly file: string; readonly display: string }
  | {
      readonly kind: 'iso';
      readonly image: string;
      /** The file's path inside the image. */
      readonly path: string;
      readonly display: string;
    };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The URL as it may be shown to people and written into the cache: without its password. */
export function displayUrl(url: URL): string {
  if (url.password === '') {
    return url.href;
  }
  const shown = new URL(url.href);
  shown.password = '';
  return shown.href;
}

/** `image#tree` as shown in messages and used as the cache's URL key: the input syntax. */
function isoDisplay(image: string, path: string): string {
  return `${image}#${path}`;
}

/**
 * A tree inside an ISO image. Its fragment is a `/`-separated path inside the image, with
 * leading and trailing slashes ignored (`#BaseOS`, `#/BaseOS/`; `#` alone is the image's root).
 */
function isoMirror(image: string, fragment: string, original: string): Mirror {
  const segments = fragment.split('/').filter((segment) => segment !== '');
  if (image === '' || segments.some((segment) => segment === '.' || segment === '..')) {
    throw new UserError('fetch-bad-mirror', `${original} is not a tree inside an ISO image`, {
      hint: 'write file:///path/to/image.iso#Tree or /path/to/image.iso#Tree, e.g. Rocky-10.0-x86_64-dvd1.iso#BaseOS',
    });
  }
  const tree = segments.join('/');
  return { kind: 'iso', image, tree, display: isoDisplay(image, tree) };
}

/**
 * A mirror location: an `http://`, `https://` or `file://` URL or a directory path. A `#` in
 * a `file://` URL or a path names a tree inside an ISO 9660 image
 * (`file:///srv/Rocky-10.0-x86_64-dvd1.iso#BaseOS`, `/srv/Rocky-10.0-x86_64-dvd1.iso#BaseOS`);
 * a directory whose name holds `#` is written as a `file://` URL with `%23`.
 */
export function parseMirror(text: string): Mirror {
  if (text.trim() === '') {
    throw new UserError('fetch-bad-mirror', 'a repository mirror location is empty', {
      hint: 'give each repository a URL or a directory',
    });
  }
  if (!SCHEME.test(text)) {
    const hash = text.lastIndexOf('#');
    if (hash >= 0) {
      const image = text.slice(0, hash);
      return isoMirror(image === '' ? '' : resolve(image), text.slice(hash + 1), text);
    }
    const root = resolve(text);
    return { kind: 'local', root, display: root };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new UserError('fetch-bad-mirror', `${text} is not a valid mirror URL`, { cause });
  }
  if (url.protocol === 'file:') {
    const hash = text.indexOf('#');
    if (hash >= 0) {
      const image = new URL(url.href);
      image.hash = '';
      return isoMirror(fileURLToPath(image), decodeFragment(text.slice(hash + 1), text), text);
    }
    const root = fileURLToPath(url);
    return { kind: 'local', root, display: root };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('fetch-bad-mirror', `unsupported mirror URL ${displayUrl(url)}`, {
      hint: 'use an http://, https:// or file:// URL, or a directory path',
    });
  }
  url.hash = '';
  if (!url.pathname.endsWith('/')) {
    url.pathname = `${url.pathname}/`;
  }
  return { kind: 'http', base: url, display: displayUrl(url) };
}

/**
 * The segments of a repository-relative path. Absolute paths, empty segments, `.` and `..` are
 * refused so that a path from repository metadata cannot leave the repository; each segment is
 * percent-encoded when it becomes part of a URL.
 */
export function splitRelativePath(path: string): readonly string[] {
  const segments = path.split('/');
  const bad =
    path === '' ||
    path.includes('\0') ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) {
    throw new UserError(
      'fetch-bad-path',
      `${JSON.stringify(path)} is not a path relative to a repository root`,
      { hint: 'repository metadata must locate files below the repository root' },
    );
  }
  return segments;
}

function decodeFragment(fragment: string, original: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch (cause) {
    throw new UserError('fetch-bad-mirror', `${original} is not a valid mirror URL`, { cause });
  }
}

export function locate(mirror: Mirror, segments: readonly string[]): Location {
  if (mirror.kind === 'local') {
    const file = join(mirror.root, ...segments);
    return { kind: 'local', file, display: file };
  }
  if (mirror.kind === 'iso') {
    const path = [...(mirror.tree === '' ? [] : [mirror.tree]), ...segments].join('/');
    return { kind: 'iso', image: mirror.image, path, display: isoDisplay(mirror.image, path) };
  }
  const url = new URL(segments.map(encodeURIComponent).join('/'), mirror.base);
  url.search = mirror.base.search;
  return { kind: 'http', url, display: displayUrl(url) };
}

/** The ISO image a repository location points into (`/srv/Rocky.iso#BaseOS`), if it does. */
export function isoImageOf(location: string): string | undefined {
  try {
    const mirror = parseMirror(location);
    return mirror.kind === 'iso' ? mirror.image : undefined;
  } catch {
    return undefined;
  }
}
