/**
 * Orders of text that do not depend on the locale or the ICU version of the host, so that
 * what a command prints, and what it writes, is the same on every machine.
 */

/** By UTF-16 code unit, as `Array.prototype.sort` without a comparer. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ignoring case first (`Bash` beside `bash`, before `curl`), then by code unit. */
export function caseInsensitiveThenCodeUnit(a: string, b: string): number {
  return byCodeUnit(a.toLowerCase(), b.toLowerCase()) || byCodeUnit(a, b);
}
