import type { RpmEvr } from '../rpm-repo/types.ts';

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

const TILDE = 0x7e;
const CARET = 0x5e;
/** Past the end of a string: compares like C's terminating NUL. */
const END = -1;

function at(text: string, index: number): number {
  return index < text.length ? text.charCodeAt(index) : END;
}

function isSeparator(code: number): boolean {
  return code !== END && !isDigit(code) && !isAlpha(code) && code !== TILDE && code !== CARET;
}

function sign(value: number): -1 | 0 | 1 {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

/**
 * Compares two version (or release) strings the way rpm does: the strings are split into runs of
 * digits and runs of ASCII letters, everything else separating them. Numeric runs compare as
 * numbers (leading zeros ignored) and beat alphabetic runs; `~` sorts before anything, even the
 * end of the string; `^` sorts after the end of the string but before any further run.
 * Returns -1, 0 or 1.
 */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(at(a, i))) i++;
    while (isSeparator(at(b, j))) j++;

    const ca = at(a, i);
    const cb = at(b, j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === END) return -1;
      if (cb === END) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === END || cb === END) break;

    const numeric = isDigit(ca);
    const inRun = numeric ? isDigit : isAlpha;
    let endA = i;
    while (inRun(at(a, endA))) endA++;
    let endB = j;
    while (inRun(at(b, endB))) endB++;
    // A numeric run always beats an alphabetic one (here: an empty run of the same kind).
    if (endB === j) return numeric ? 1 : -1;

    let segA = a.slice(i, endA);
    let segB = b.slice(j, endB);
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA < segB ? -1 : 1;
    i = endA;
    j = endB;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  if (!restA && !restB) return 0;
  return restA ? 1 : -1;
}

/**
 * Compares two EVRs: epoch as a number (a missing epoch is 0), then version, then release with
 * {@link rpmvercmp}. An empty release sorts before any other release. Returns -1, 0 or 1.
 */
export function compareEvr(a: RpmEvr, b: RpmEvr): -1 | 0 | 1 {
  const epoch = sign(a.epoch - b.epoch);
  if (epoch !== 0) return epoch;
  const version = rpmvercmp(a.version, b.version);
  if (version !== 0) return version;
  return rpmvercmp(a.release, b.release);
}

/**
 * Parses `[epoch:]version[-release]` as rpm does: the epoch is the leading digits before a `:`
 * (an empty one is 0), the release is what follows the last `-`. A missing release is `''`.
 */
export function parseEvr(text: string): RpmEvr {
  let digits = 0;
  while (digits < text.length && isDigit(text.charCodeAt(digits))) digits++;
  let epoch = 0;
  let rest = text;
  if (text.charAt(digits) === ':') {
    epoch = digits === 0 ? 0 : Number.parseInt(text.slice(0, digits), 10);
    rest = text.slice(digits + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: '' };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

/** `[epoch:]version[-release]`, the epoch left out when it is 0. */
export function formatEvr(evr: RpmEvr): string {
  const epoch = evr.epoch !== 0 ? `${evr.epoch}:` : '';
  const release = evr.release !== '' ? `-${evr.release}` : '';
  return `${epoch}${evr.version}${release}`;
}
