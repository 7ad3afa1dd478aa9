/**
 * What `systemctl enable` reads of a unit: its name (template, instance) and the [Install]
 * section, with the specifiers that section may use.
 */
import { ImageBuildError } from '../errors.ts';

export const UNIT_SUFFIXES = [
  '.service',
  '.socket',
  '.target',
  '.timer',
  '.path',
  '.mount',
  '.automount',
  '.swap',
  '.slice',
  '.scope',
  '.device',
];

export interface UnitName {
  readonly name: string;
  /** `getty` of `getty@tty1.service`, `sshd` of `sshd.service`. */
  readonly prefix: string;
  /** `tty1` of `getty@tty1.service`; `''` for a template (`getty@.service`). */
  readonly instance: string | undefined;
  readonly suffix: string;
  /** `getty@.service` for a template or an instance, else the name itself. */
  readonly template: string;
}

export function parseUnitName(name: string): UnitName | undefined {
  const suffix = UNIT_SUFFIXES.find((candidate) => name.endsWith(candidate));
  if (suffix === undefined || name.includes('/')) return undefined;
  const stem = name.slice(0, -suffix.length);
  const at = stem.indexOf('@');
  if (stem === '' || at === 0) return undefined;
  if (at < 0) return { name, prefix: stem, instance: undefined, suffix, template: name };
  const prefix = stem.slice(0, at);
  const template = `${prefix}@${suffix}`;
  return { name, prefix, instance: stem.slice(at + 1), suffix, template };
}

export function isTemplate(unit: UnitName): boolean {
  return unit.instance === '';
}

export function instanceName(unit: UnitName, instance: string): string {
  return `${unit.prefix}@${instance}${unit.suffix}`;
}

export interface InstallSection {
  readonly wantedBy: readonly string[];
  readonly requiredBy: readonly string[];
  readonly upheldBy: readonly string[];
  readonly alias: readonly string[];
  readonly also: readonly string[];
  readonly defaultInstance: string | undefined;
}

const LISTS = {
  WantedBy: 'wantedBy',
  RequiredBy: 'requiredBy',
  UpheldBy: 'upheldBy',
  Alias: 'alias',
  Also: 'also',
} as const;

/**
 * The [Install] section of a unit file, or undefined when it has none. Lines continue after a
 * trailing `\`; lists grow with each assignment and an empty one resets them.
 */
export function parseInstall(text: string): InstallSection | undefined {
  const lists: Record<(typeof LISTS)[keyof typeof LISTS], string[]> = {
    wantedBy: [],
    requiredBy: [],
    upheldBy: [],
    alias: [],
    also: [],
  };
  let defaultInstance: string | undefined;
  let section = '';
  let found = false;
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header !== null) {
      section = header[1] as string;
      if (section === 'Install') found = true;
      continue;
    }
    if (section !== 'Install') continue;
    const assignment = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (assignment === null) continue;
    const key = assignment[1] as string;
    const value = (assignment[2] as string).trim();
    if (key === 'DefaultInstance') {
      defaultInstance = value === '' ? undefined : value;
      continue;
    }
    const list = key in LISTS ? lists[LISTS[key as keyof typeof LISTS]] : undefined;
    if (list === undefined) continue;
    if (value === '') list.length = 0;
    else list.push(...value.split(/\s+/));
  }
  return found ? { ...lists, defaultInstance } : undefined;
}

/** systemd's unit name unescaping: `-` is `/`, `\xNN` a byte. */
function unescape(text: string): string {
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at += 1) {
    const escaped = /^\\x([0-9a-fA-F]{2})/.exec(text.slice(at));
    if (escaped !== null) {
      bytes.push(parseInt(escaped[1] as string, 16));
      at += 3;
    } else if (text[at] === '-') bytes.push(0x2f);
    else bytes.push(...Buffer.from(text[at] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function unescapePath(text: string): string {
  const path = unescape(text).replace(/^\/+|\/+$/g, '');
  return `/${path}`;
}

/**
 * Expands the specifiers of an [Install] value for `unit` (an instance, or a plain unit):
 * %n %N %p %P %i %I %j %J %f and %%. Any other is an error naming the unit.
 */
export function expandSpecifiers(value: string, unit: UnitName, file: string): string {
  const stem = unit.name.slice(0, -unit.suffix.length);
  const instance = unit.instance ?? '';
  const lastDash = unit.prefix.lastIndexOf('-');
  const final = lastDash < 0 ? unit.prefix : unit.prefix.slice(lastDash + 1);
  const table: Record<string, () => string> = {
    n: () => unit.name,
    N: () => stem,
    p: () => unit.prefix,
    P: () => unescape(unit.prefix),
    i: () => instance,
    I: () => unescape(instance),
    j: () => final,
    J: () => unescape(final),
    f: () => (unit.instance ? unescapePath(instance) : unescapePath(unit.prefix)),
    '%': () => '%',
  };
  return value.replace(/%(.?)/g, (_match, letter: string) => {
    const expand = table[letter];
    if (expand === undefined) {
      throw new ImageBuildError(
        'rootfs-unit-specifier',
        `${file}: the [Install] section of ${unit.name} uses the specifier %${letter}, which the image build cannot expand`,
        'only %n %N %p %P %i %I %j %J %f and %% are known at build time',
      );
    }
    return expand();
  });
}
