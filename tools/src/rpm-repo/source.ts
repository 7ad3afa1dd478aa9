import { open } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where a repository's files come from. Paths are relative to the repository root, the folder
 * that holds `repodata/`: `repodata/repomd.xml`, `Packages/b/bash-5.2.rpm`.
 */
export interface RepoSource {
  /** The repository root, for messages. */
  readonly url: string;
  /**
   * Opens one file. Rejects with an error whose `code` is `'ENOENT'` when the file does not
   * exist, so that optional files (repomd.xml.asc) can be told apart from failures.
   */
  open(relativePath: string): Promise<NodeJS.ReadableStream>;
}

/** True for the rejection a {@link RepoSource} gives for a file that does not exist. */
export function isMissingFile(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
  );
}

/**
 * Checks a repository-relative path: not empty, not absolute, no `..` leaving the root, no
 * backslashes or control characters. Returns it normalised.
 */
export function checkRelativePath(path: string): string {
  if (path === '' || /[\u0000-\u001f\u007f\\]/.test(path) || /^[a-z][a-z0-9+.-]*:/i.test(path)) {
    throw new Error(`invalid repository path ${JSON.stringify(path)}`);
  }
  const normalised = posix.normalize(path);
  if (posix.isAbsolute(normalised) || normalised === '..' || normalised.startsWith('../')) {
    throw new Error(`repository path ${JSON.stringify(path)} leaves the repository root`);
  }
  return normalised;
}

/** A repository in a local folder, given as a path or a `file://` URL. */
export function localRepoSource(dirOrFileUrl: string | URL): RepoSource {
  const text = dirOrFileUrl.toString();
  let root: string;
  if (text.startsWith('file:')) {
    root = fileURLToPath(text);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new Error(`${text}: only local folders and file:// URLs are local repositories`);
  } else {
    root = isAbsolute(text) ? text : resolve(text);
  }
  const url = pathToFileURL(root).href.replace(/\/+$/, '');
  return {
    url,
    async open(relativePath) {
      const handle = await open(join(root, checkRelativePath(relativePath)), 'r');
      return handle.createReadStream();
    },
  };
}

/** `url` joined with a relative path, for messages and for `xml:base` locations. */
export function joinUrl(base: string, relativePath: string): string {
  return `${base.replace(/\/+$/, '')}/${relativePath}`;
}

/** Reads a whole (small) file; `tooLarge` builds the error when it exceeds `maxBytes`. */
export async function readBounded(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(bytes);
    }
  } finally {
    destroyQuietly(stream);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** Closes a stream that is no longer wanted, if it can be closed. */
export function destroyQuietly(stream: NodeJS.ReadableStream): void {
  const destroy = (stream as { destroy?: () => void }).destroy;
  if (typeof destroy === 'function') destroy.call(stream);
}
