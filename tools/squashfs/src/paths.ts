/** Longest file name Linux accepts (NAME_MAX), in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;
/** Longest symlink target Linux accepts (PATH_MAX without the terminator), in UTF-8 bytes. */
export const MAX_TARGET_BYTES = 4095;

export function quote(value: string): string {
  return JSON.stringify(value);
}

export function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

function invalid(path: string, reason: string): Error {
  return new Error(`squashfs: invalid path ${quote(path)}: ${reason}`);
}

/**
 * Splits an absolute image path into its names; "/" yields []. Refuses relative paths, empty,
 * "." and ".." components, a trailing slash, NUL, ill-formed Unicode and over-long names.
 */
export function splitImagePath(path: string): string[] {
  if (typeof path !== 'string') {
    throw new TypeError(`squashfs: path must be a string, got ${typeof path}`);
  }
  if (!path.startsWith('/')) throw invalid(path, 'it must be absolute (start with "/")');
  if (path === '/') return [];
  if (path.endsWith('/')) throw invalid(path, 'it must not end with "/"');
  const names = path.slice(1).split('/');
  for (const name of names) {
    if (name === '') throw invalid(path, 'it contains an empty component ("//")');
    if (name === '.' || name === '..') throw invalid(path, `"${name}" components are not allowed`);
    if (name.includes('\0')) throw invalid(path, 'it contains a NUL character');
    if (!isWellFormed(name)) throw invalid(path, 'it is not well-formed Unicode');
    if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
      throw invalid(path, `a name is longer than ${MAX_NAME_BYTES} bytes`);
    }
  }
  return names;
}
