import { PackageFormatError } from '../packages/errors.ts';
import type { ApkSource } from './limits.ts';

/** The `.PKGINFO` of a v2 package. */
export interface ApkPackageInfo {
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
  readonly description?: string;
  readonly url?: string;
  readonly license?: string;
  readonly origin?: string;
  readonly commit?: string;
  readonly maintainer?: string;
  readonly packager?: string;
  /** `builddate`, seconds since the epoch. */
  readonly buildDate?: number;
  /** `size`: bytes the package occupies once installed. */
  readonly installedSize?: number;
  readonly depends: readonly string[];
  readonly provides: readonly string[];
  readonly installIf: readonly string[];
  readonly replaces: readonly string[];
  readonly replacesPriority?: number;
  readonly providerPriority?: number;
  /** Paths whose change fires the `.trigger` script. */
  readonly triggers: readonly string[];
  /** SHA-256 (hex) of the raw gzip bytes of the data part. */
  readonly datahash?: string;
  /** Every key as written, in order of first appearance, with all of its values. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/**
 * How apk-tools 2 combines repeated lines of one key, measured with its own `apk index` and
 * `apk add`: these keys add every line's words; `triggers` keeps only its last line (apk
 * clears the list on each one); every other key keeps its last line, so melange's one
 * `license =` line per licence leaves the last licence, as `apk index` writes `L:`.
 */
const ACCUMULATED = new Set(['depend', 'provides', 'install_if', 'replaces']);

const MAX_LINES = 100_000;
const KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NAME_PATTERN = /^[A-Za-z0-9_+][A-Za-z0-9_+.@-]*$/;
const VERSION_PATTERN = /^[A-Za-z0-9_+.~-]+$/;

/**
 * Reads `.PKGINFO` as apk-tools 2 does: keys in any order, unknown keys kept in `fields` only,
 * a repeated key combined as apk combines it (see ACCUMULATED), a `key =` line with nothing
 * after it skipped. Stricter than apk where apk silently misreads: a line that is not
 * `key = value`, a missing or unsafe pkgname or pkgver, a number with other characters than
 * digits, a datahash that is not SHA-256 and control characters are refused.
 */
export function parsePkginfo(text: string, source: ApkSource): ApkPackageInfo {
  const fail = (message: string) =>
    new PackageFormatError({ ...source, message: `.PKGINFO: ${message}` });
  const fields: Record<string, string[]> = {};
  const lines = text.split('\n');
  if (lines.length > MAX_LINES) {
    throw fail(`more than ${MAX_LINES} lines`);
  }
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) {
      return;
    }
    const at = line.indexOf(' = ');
    const key = at < 0 ? line.replace(/ =$/, '') : line.slice(0, at);
    if ((at < 0 && !line.endsWith(' =')) || !KEY_PATTERN.test(key)) {
      throw fail(`line ${index + 1} is not "key = value": ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (at < 0) {
      // `key =` without the space after it: apk does not see a value there and sets nothing.
      return;
    }
    const value = line.slice(at + 3);
    if (/[\0-\x08\x0b-\x1f\x7f]/.test(value)) {
      throw fail(`line ${index + 1}: control character in ${key}`);
    }
    (fields[key] ??= []).push(value);
  });
  const single = (key: string): string | undefined => fields[key]?.at(-1);
  const words = (value: string): string[] => value.split(/\s+/).filter((word) => word !== '');
  const list = (key: string): string[] =>
    ACCUMULATED.has(key) ? (fields[key] ?? []).flatMap(words) : words(single(key) ?? '');
  const integer = (key: string): number | undefined => {
    const value = single(key);
    if (value === undefined || value === '') {
      return undefined;
    }
    const number = Number(value);
    if (!/^-?[0-9]+$/.test(value) || !Number.isSafeInteger(number)) {
      throw fail(`${key} is not an integer: ${JSON.stringify(value)}`);
    }
    return number;
  };

  const name = single('pkgname');
  const version = single('pkgver');
  if (name === undefined || !NAME_PATTERN.test(name) || name.length > 255) {
    throw fail(name === undefined ? 'no pkgname' : `invalid pkgname ${JSON.stringify(name)}`);
  }
  if (version === undefined || !VERSION_PATTERN.test(version) || version.length > 255) {
    throw fail(version === undefined ? 'no pkgver' : `invalid pkgver ${JSON.stringify(version)}`);
  }
  const datahash = single('datahash')?.toLowerCase();
  if (datahash !== undefined && !/^[0-9a-f]{64}$/.test(datahash)) {
    throw fail(`datahash is not a SHA-256: ${JSON.stringify(datahash)}`);
  }
  const optional = <T>(key: string, value: T | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    name,
    version,
    ...optional('arch', single('arch')),
    ...optional('description', single('pkgdesc')),
    ...optional('url', single('url')),
    ...optional('license', single('license')),
    ...optional('origin', single('origin')),
    ...optional('commit', single('commit')),
    ...optional('maintainer', single('maintainer')),
    ...optional('packager', single('packager')),
    ...optional('buildDate', integer('builddate')),
    ...optional('installedSize', integer('size')),
    depends: list('depend'),
    provides: list('provides'),
    installIf: list('install_if'),
    replaces: list('replaces'),
    ...optional('replacesPriority', integer('replaces_priority')),
    ...optional('providerPriority', integer('provider_priority')),
    triggers: list('triggers'),
    ...optional('datahash', datahash),
    fields,
  };
}
