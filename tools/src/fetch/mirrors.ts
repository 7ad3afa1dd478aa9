/** Mirror base locations and the relative paths joined onto them. */

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.ts';

export type Mirror =
  | { readonly kind: 'http'; readonly base: URL; readonly display: string }
  | { readonly kind: 'local'; readonly root: string; readonly display: string };

/** Where one file is on one mirror. */
export type Location =
  | { readonly kind: 'http'; readonly url: URL; readonly display: string }
  | { readonly kind: 'local'; readonly file: string; readonly display: string };

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

export function parseMirror(text: string): Mirror {
  if (text.trim() === '') {
    throw new UserError('fetch-bad-mirror', 'a repository mirror location is empty', {
      hint: 'give each repository a URL or a directory',
    });
  }
  if (!SCHEME.test(text)) {
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

export function locate(mirror: Mirror, segments: readonly string[]): Location {
  if (mirror.kind === 'local') {
    const file = join(mirror.root, ...segments);
    return { kind: 'local', file, display: file };
  }
  const url = new URL(segments.map(encodeURIComponent).join('/'), mirror.base);
  url.search = mirror.base.search;
  return { kind: 'http', url, display: displayUrl(url) };
}
