/**
 * Alpine package versions as apk-tools 2 orders them:
 * `digits{.digits}...{letter}{_suffix{digits}}...{-rN}`.
 *
 * A version is read as a stream of parts. Each part has a kind, and kinds must come in order
 * (numbers, then one letter, then suffixes, then the revision); a part out of order, an unknown
 * suffix or a number of 18 digits or more makes the rest of the version invalid. Two versions
 * are compared part by part while the kinds agree; where they stop agreeing, the version that
 * ended sorts first, except that a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`) sorts
 * before the end. Invalid versions still compare, the way apk compares them.
 */

/** Part kinds, in the order a version may contain them. */
const INVALID = -1;
const DOTTED = 0;
const NUMBER = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const REVISION = 5;
const END = 6;

type PartKind = -1 | 0 | 1 | 2 | 3 | 4 | 5 | 6;
type PartValue = number | bigint;

const PRE_RELEASE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'] as const;
const POST_RELEASE_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'] as const;
/** Numbers of this many digits or more make a version invalid. */
const MAX_NUMBER_DIGITS = 18;
/** Longer numbers no longer fit a double exactly. */
const SAFE_NUMBER_DIGITS = 15;

/** Result bits, as dependency operators combine them. */
export const VERSION_LESS = 2;
export const VERSION_EQUAL = 1;
export const VERSION_GREATER = 4;
const VERSION_INCOMPARABLE = VERSION_LESS | VERSION_EQUAL | VERSION_GREATER;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLowercase(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isBefore(a: PartValue, b: PartValue): boolean {
  return a < b;
}

/** Reads a version one part at a time. */
class VersionReader {
  kind: PartKind = NUMBER;
  private at = 0;

  constructor(private readonly text: string) {}

  private get rest(): number {
    return this.text.length - this.at;
  }

  /** The value of the current part; moves on to the next part and sets its kind. */
  read(): PartValue {
    if (this.rest <= 0) {
      this.kind = END;
      return 0;
    }
    const start = this.at;
    let value: PartValue = 0;
    let forcedNext: PartKind | undefined;
    switch (this.kind) {
      case DOTTED:
      case NUMBER:
      case SUFFIX_NUMBER:
      case REVISION: {
        if (this.kind === DOTTED && this.text.charCodeAt(start) === 48) {
          // A dotted number with leading zeros: each zero after the first lowers it, and the
          // digits after the zeros are read as a number of their own.
          let zeros = 0;
          while (start + zeros + 1 < this.text.length && this.text[start + zeros + 1] === '0') {
            zeros++;
          }
          this.at += zeros;
          value = -zeros;
          forcedNext = NUMBER;
          break;
        }
        while (this.at < this.text.length && isDigit(this.text.charCodeAt(this.at))) {
          this.at++;
        }
        const digits = this.text.slice(start, this.at);
        if (digits.length >= MAX_NUMBER_DIGITS) {
          this.kind = INVALID;
          return -1;
        }
        value = digits.length > SAFE_NUMBER_DIGITS ? BigInt(digits) : Number(digits);
        break;
      }
      case LETTER:
        value = this.text.charCodeAt(this.at++);
        break;
      case SUFFIX: {
        const suffix = this.readSuffix();
        if (suffix === undefined) {
          this.kind = INVALID;
          return -1;
        }
        value = suffix;
        break;
      }
      default:
        this.kind = INVALID;
        return -1;
    }
    if (this.rest <= 0) {
      this.kind = END;
    } else if (forcedNext !== undefined) {
      this.kind = forcedNext;
    } else {
      this.advance();
    }
    return value;
  }

  /** Pre-release suffixes read as -4..-1, post-release ones as 0..4; unknown ones as undefined. */
  private readSuffix(): number | undefined {
    const pre = PRE_RELEASE_SUFFIXES.findIndex((s) => this.text.startsWith(s, this.at));
    if (pre >= 0) {
      this.at += PRE_RELEASE_SUFFIXES[pre]?.length ?? 0;
      return pre - PRE_RELEASE_SUFFIXES.length;
    }
    const post = POST_RELEASE_SUFFIXES.findIndex((s) => this.text.startsWith(s, this.at));
    if (post >= 0) {
      this.at += POST_RELEASE_SUFFIXES[post]?.length ?? 0;
      return post;
    }
    return undefined;
  }

  /** Decides the kind of the next part from the separator or character that starts it. */
  private advance(): void {
    const code = this.text.charCodeAt(this.at);
    let next: PartKind = INVALID;
    if (code === 0) {
      next = END;
    } else if ((this.kind === NUMBER || this.kind === DOTTED) && isLowercase(code)) {
      next = LETTER;
    } else if (this.kind === LETTER && isDigit(code)) {
      next = NUMBER;
    } else if (this.kind === SUFFIX && isDigit(code)) {
      next = SUFFIX_NUMBER;
    } else {
      const char = this.text[this.at];
      if (char === '.') {
        next = DOTTED;
      } else if (char === '_') {
        next = SUFFIX;
      } else if (char === '-' && this.text[this.at + 1] === 'r') {
        next = REVISION;
        this.at++;
      }
      this.at++;
    }
    if (next < this.kind && !isAllowedStepBack(this.kind, next)) {
      next = INVALID;
    }
    this.kind = next;
  }
}

function isAllowedStepBack(from: PartKind, to: PartKind): boolean {
  return (
    (from === NUMBER && to === DOTTED) ||
    (from === SUFFIX_NUMBER && to === SUFFIX) ||
    (from === LETTER && to === NUMBER)
  );
}

/**
 * Compares two versions and returns one of the result bits. With `fuzzy`, versions whose parts
 * agree as far as both go count as equal (`~1.2` matches `1.2.3`).
 */
export function compareVersionBits(a: string, b: string, fuzzy = false): number {
  const left = new VersionReader(a);
  const right = new VersionReader(b);
  let leftValue: PartValue = 0;
  let rightValue: PartValue = 0;
  while (
    left.kind === right.kind &&
    left.kind !== END &&
    left.kind !== INVALID &&
    !isBefore(leftValue, rightValue) &&
    !isBefore(rightValue, leftValue)
  ) {
    leftValue = left.read();
    rightValue = right.read();
  }
  if (isBefore(leftValue, rightValue)) {
    return VERSION_LESS;
  }
  if (isBefore(rightValue, leftValue)) {
    return VERSION_GREATER;
  }
  if (left.kind === right.kind || fuzzy) {
    return VERSION_EQUAL;
  }
  // The kinds where the versions part ways decide; reading a suffix's value moves on, so keep them.
  const leftKind = left.kind;
  const rightKind = right.kind;
  if (leftKind === SUFFIX && isBefore(left.read(), 0)) {
    return VERSION_LESS;
  }
  if (rightKind === SUFFIX && isBefore(right.read(), 0)) {
    return VERSION_GREATER;
  }
  return leftKind > rightKind ? VERSION_LESS : VERSION_GREATER;
}

/**
 * Compares two Alpine versions exactly like apk-tools 2: negative when `a` sorts before `b`,
 * zero when they are equal, positive after.
 */
export function compareApkVersions(a: string, b: string): -1 | 0 | 1 {
  const bits = compareVersionBits(a, b);
  return bits === VERSION_LESS ? -1 : bits === VERSION_GREATER ? 1 : 0;
}

/** Whether apk-tools 2 accepts the version as well formed. */
export function isValidApkVersion(version: string): boolean {
  const reader = new VersionReader(version);
  while (reader.kind !== END && reader.kind !== INVALID) {
    reader.read();
  }
  return reader.kind === END;
}

/** Compares a version that may be absent (a virtual provide): absent versions match nothing. */
export function compareOptionalVersions(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) {
    return a === b ? VERSION_EQUAL : VERSION_INCOMPARABLE;
  }
  return compareVersionBits(a, b);
}
